// The interface every domain module implements for the message types it
// owns, and what it receives: the validated message as views over the
// received bytes, and the frame itself for relaying without re-encoding.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/message_view.hpp"

namespace qsip::server {

class ClientSession;

struct Request {
  ClientSession& session;
  std::int64_t stream_id;          // answers go back on this stream (wire profile 3)
  const core::MessageView& message;
  std::string_view frame;          // the whole frame as received, length prefix included
  bool early_data;                 // arrived in 0-RTT: act only where a replay is harmless
};

class Handler {
 public:
  virtual ~Handler() = default;
  virtual void handle(Request& request) = 0;
};

}  // namespace qsip::server
