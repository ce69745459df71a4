#include "server/serving/quic_connection_mailer.hpp"

#include "quic/worker.hpp"
#include "server/serving/session_bridge.hpp"

namespace qsip::server {

bool QuicConnectionMailer::deliver(std::uint64_t connection_id, FrameBytes frame, Delivery delivery) {
  return server_.post(quic::Server::worker_of(connection_id),
                      [connection_id, frame = std::move(frame), delivery](quic::Worker& worker) {
                        auto* conn = worker.find(connection_id);
                        if (!conn) return;  // gone meanwhile
                        if (auto* session = SessionBridge::session_of(*conn)) session->push(frame, delivery);
                      });
}

bool QuicConnectionMailer::run(std::uint64_t connection_id, std::function<void(ClientSession&)> task) {
  return server_.post(quic::Server::worker_of(connection_id), [connection_id, task = std::move(task)](quic::Worker& worker) {
    auto* conn = worker.find(connection_id);
    if (!conn) return;  // gone meanwhile
    if (auto* session = SessionBridge::session_of(*conn)) task(*session);
  });
}

void QuicConnectionMailer::close(std::uint64_t connection_id, std::uint64_t app_error_code) {
  server_.post(quic::Server::worker_of(connection_id), [connection_id, app_error_code](quic::Worker& worker) {
    if (auto* conn = worker.find(connection_id)) conn->close(app_error_code);
  });
}

}  // namespace qsip::server
