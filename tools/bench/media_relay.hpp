// The media relay workload (issue 7): `calls` independent calls of
// `parties` each, set up through the server (1:1 with INVITE/ACCEPT, more
// parties as a group call: the first party creates a group, the others
// join, it INVITEs the group and everyone ACCEPTs), every party announcing
// one audio track. Then, timed, the first party of each call sends media
// datagrams (varint flow id || a 12-byte RTP header || filler, `size` bytes
// in all) at `rate` datagrams a second in all, paced every millisecond, and
// every other party counts what the relay delivers (loss = expected minus
// delivered) and the latency from the send time written into each packet
// (sender and receivers share this process's clock).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "register_messages.hpp"
#include "session_pool.hpp"

namespace qsip::bench {

struct MediaRelayOptions {
  std::size_t parties = 2;   // per call: 1 sender, parties - 1 receivers
  std::size_t calls = 1;
  double seconds = 5;
  double rate = 10000;       // datagrams sent a second, all calls together
  std::size_t size = 200;    // bytes per datagram (flow id and RTP header included)
  std::size_t concurrency = 100;
  std::string run_id;
};

class MediaRelay {
 public:
  MediaRelay(LoadTarget target, const RegisterMessages& registers, MediaRelayOptions options);

  // Registers every party and sets the calls up (throws std::runtime_error on failure).
  void setup(std::chrono::seconds timeout);

  struct Result {
    std::uint64_t sent = 0;          // datagrams the senders queued
    std::uint64_t not_queued = 0;    // refused by the sender's own QUIC queue
    std::uint64_t delivered = 0;     // datagrams the receivers got
    std::uint64_t expected = 0;      // sent x receivers per call
    double p50_ms = 0, p99_ms = 0, max_ms = 0;  // send -> receive through the relay
    std::size_t sessions_lost = 0;
    std::chrono::steady_clock::duration sending{};
  };
  Result run(std::chrono::milliseconds drain);

 private:
  void on_frame(std::size_t session, std::string_view body);
  void on_datagram(std::size_t session, std::span<const std::uint8_t> datagram);
  std::string user_of(std::size_t session) const;
  std::string envelope(std::size_t session, std::string_view type, std::string_view id, std::string_view session_id,
                       std::string_view to_user, std::string_view to_group, std::string_view payload) const;
  std::string call_id(std::size_t call) const { return "r" + options_.run_id + "." + std::to_string(call); }
  std::string group_id(std::size_t call) const { return "g-relay" + options_.run_id + "-" + std::to_string(call); }
  void send_one(std::size_t call);

  MediaRelayOptions options_;
  const RegisterMessages& registers_;
  SessionPool pool_;
  std::string stamp_;
  std::chrono::steady_clock::time_point origin_;
  bool timed_ = false;
  // Set-up progress, counted from the RECEIPTs and frames the parties read.
  std::size_t groups_ready_ = 0, joined_ = 0, accepted_ = 0, setup_errors_ = 0;
  std::string first_setup_error_;
  std::vector<std::uint16_t> next_seq_;  // per call: the sender's next RTP sequence number
  std::vector<std::uint32_t> latency_samples_us_;
  std::vector<std::uint8_t> packet_;
  Result result_;
};

}  // namespace qsip::bench
