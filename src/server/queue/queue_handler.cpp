#include "server/queue/queue_handler.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/queue/queue_request.hpp"

namespace qsip::server {

void QueueHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto parsed = read_queue_request(msg);
  if (!parsed) return session.answer_error(request.stream_id, parsed.failure());
  auto answer = service_.handle(parsed.value(), session.user_id(), msg.message_id, unix_now_ms());
  if (answer.error)
    return session.answer_error(request.stream_id,
                                core::Failure{*answer.error, answer.detail, std::string(msg.message_id), {}});
  if (!answer.data_json.empty()) return session.answer_data(request.stream_id, "QUEUE", answer.data_json);
  session.answer_receipt(request.stream_id, msg.message_id, answer.receipt_status, answer.receipt_json);
}

}  // namespace qsip::server
