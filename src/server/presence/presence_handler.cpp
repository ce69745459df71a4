#include "server/presence/presence_handler.hpp"

#include "server/dispatch/client_session.hpp"

namespace qsip::server {

void PresenceHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  PresenceInfo info;
  info.status = std::string(msg.payload_string("status"));  // validated: one of the draft's five
  info.status_message = std::string(msg.payload_string("status_message"));
  info.activity = std::string(msg.payload_string("activity"));
  info.last_active_at = std::string(msg.payload_string("last_active_at"));
  auto change = table_.publish(session.user_id(), session.device_id(), session.connection_id(), info, msg.message_id,
                               ServerIdentity::now());
  session.answer_receipt(request.stream_id, msg.message_id, "ok");
  fanout_.changed(session.context(), session.user_id(), session.device_id(), change, session.connection_id());
}

}  // namespace qsip::server
