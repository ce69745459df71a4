// ConnectionMailer over the QUIC server: a frame for a connection is posted
// to the inbox of the worker that owns it and pushed on that connection's
// primary stream there. The frame bytes are shared, not copied, between the
// recipients of one fan-out.
#pragma once

#include "quic/server.hpp"
#include "server/routing/connection_mailer.hpp"

namespace qsip::server {

class QuicConnectionMailer final : public ConnectionMailer {
 public:
  explicit QuicConnectionMailer(quic::Server& server) : server_(server) {}
  bool deliver(std::uint64_t connection_id, FrameBytes frame, Delivery delivery) override;
  bool run(std::uint64_t connection_id, std::function<void(ClientSession&)> task) override;
  void close(std::uint64_t connection_id, std::uint64_t app_error_code) override;

 private:
  quic::Server& server_;
};

}  // namespace qsip::server
