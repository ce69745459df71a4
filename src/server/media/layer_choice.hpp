// Which simulcast layer (draft 7.4) a receiver gets: the one it asked for
// (SESSION select_layer), else the highest whose max_bitrate fits its
// estimated bandwidth, else the lowest. docs/calls.md "Simulcast".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/media/session_routes.hpp"

namespace qsip::server::media {

inline constexpr int kNoRequest = -1;

// The index in `layers` of the layer named `rid`, or kNoRequest.
int layer_index(std::span<const Layer> layers, std::string_view rid);

// `requested`: an index into `layers` or kNoRequest. `bandwidth_bps` 0 means
// no estimate yet: the lowest layer. `layers` must not be empty.
std::size_t choose_layer(std::span<const Layer> layers, int requested, std::uint64_t bandwidth_bps);

}  // namespace qsip::server::media
