#include "server/media/layer_choice.hpp"

namespace qsip::server::media {

int layer_index(std::span<const Layer> layers, std::string_view rid) {
  if (rid.empty()) return kNoRequest;
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].rid == rid) return static_cast<int>(i);
  return kNoRequest;
}

std::size_t choose_layer(std::span<const Layer> layers, int requested, std::uint64_t bandwidth_bps) {
  if (requested >= 0 && static_cast<std::size_t>(requested) < layers.size()) return static_cast<std::size_t>(requested);
  std::size_t lowest = 0;
  for (std::size_t i = 1; i < layers.size(); ++i)
    if (layers[i].max_bitrate < layers[lowest].max_bitrate) lowest = i;
  if (bandwidth_bps == 0) return lowest;
  std::size_t best = lowest;
  bool fits = false;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].max_bitrate > bandwidth_bps) continue;
    if (!fits || layers[i].max_bitrate > layers[best].max_bitrate) best = i;
    fits = true;
  }
  return best;
}

}  // namespace qsip::server::media
