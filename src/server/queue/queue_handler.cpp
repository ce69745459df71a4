#include "server/queue/queue_handler.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/queue/queue_request.hpp"
#include "server/routing/connection_mailer.hpp"

namespace qsip::server {

namespace {

void answer_with(ClientSession& session, std::int64_t stream_id, std::string_view message_id, const QueueAnswer& a) {
  if (a.error)
    return session.answer_error(stream_id, core::Failure{*a.error, a.detail, std::string(message_id), {}});
  if (!a.data_json.empty()) return session.answer_data(stream_id, "QUEUE", a.data_json);
  session.answer_receipt(stream_id, message_id, a.receipt_status, a.receipt_json);
}

}  // namespace

void QueueHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto parsed = read_queue_request(msg);
  if (!parsed) return session.answer_error(request.stream_id, parsed.failure());
  // A change is answered after its commit, from the writer's thread: the
  // answer goes back to this connection's worker through the mailer.
  ConnectionMailer* mailer = session.context().mailer;
  const auto connection = session.connection_id();
  const auto stream = request.stream_id;
  auto deferred = [mailer, connection, stream, message_id = std::string(msg.message_id)](const QueueAnswer& a) {
    if (mailer)
      mailer->run(connection, [stream, message_id, a](ClientSession& s) { answer_with(s, stream, message_id, a); });
  };
  auto answer = service_.handle(parsed.value(), session.user_id(), msg.message_id, unix_now_ms(), deferred);
  if (answer) answer_with(session, request.stream_id, msg.message_id, *answer);
}

}  // namespace qsip::server
