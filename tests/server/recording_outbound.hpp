// An Outbound that records what a session sends, decoded back into
// messages, for dispatcher and handler tests without a network.
#pragma once

#include <simdjson.h>

#include <string>
#include <vector>

#include "core/frame_decoder.hpp"
#include "server/dispatch/outbound.hpp"

namespace qsip::server::testing {

class RecordingOutbound : public Outbound {
 public:
  struct Sent {
    std::int64_t stream_id;
    std::string json;
  };
  SendResult send(std::int64_t stream_id, FrameBytes frame, Delivery) override {
    struct Sink : core::FrameDecoder::Sink {
      std::vector<std::string> bodies;
      void on_frame(core::FrameDecoder::Event, std::string_view body, std::string_view, std::uint64_t) override {
        bodies.emplace_back(body);
      }
    } sink;
    core::FrameDecoder decoder;
    decoder.feed(*frame, sink);
    for (auto& b : sink.bodies) sent.push_back({stream_id, b});
    return SendResult::kQueued;
  }
  void close(std::uint64_t code, std::string_view) override { closed_with = code; }

  // A member of the payload of the i-th message sent ("code", "status" ...).
  std::string payload_field(std::size_t i, const char* key) const {
    simdjson::dom::parser p;
    auto doc = p.parse(sent.at(i).json);
    auto v = doc["payload"][key];
    if (v.error()) return {};
    if (v.is_string()) return std::string(std::string_view(v.value_unsafe()));
    return simdjson::to_string(v.value_unsafe());
  }
  std::string field(std::size_t i, const char* key) const {
    simdjson::dom::parser p;
    auto doc = p.parse(sent.at(i).json);
    auto v = doc[key];
    if (v.error() || !v.is_string()) return {};
    return std::string(std::string_view(v.value_unsafe()));
  }

  std::vector<Sent> sent;
  std::uint64_t closed_with = 0;
};

}  // namespace qsip::server::testing
