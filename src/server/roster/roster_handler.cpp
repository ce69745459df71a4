#include "server/roster/roster_handler.hpp"

#include <simdjson.h>

#include <ctime>

#include "core/json_writer.hpp"
#include "server/accounts/account_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/roster/roster_actions.hpp"
#include "server/roster/roster_notice.hpp"
#include "server/roster/roster_store.hpp"
#include "server/roster/server_message.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

std::string contact_info_of(const core::MessageView& msg) {
  auto info = msg.payload["contact_info"];
  return info.error() ? std::string("{}") : simdjson::to_string(info.value_unsafe());
}

// The change as the user's other devices see it (16.3): the request's
// action, contact and info, which device made it, and the resulting state.
std::string change_payload(const core::MessageView& msg, const std::string& contact_info, const ContactState& state) {
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object()
      .member("action", msg.payload_string("action"))
      .member("contact_id", msg.payload_string("contact_id"))
      .key("contact_info").raw(contact_info)
      .member("origin_device_id", msg.from_device_id);
  write_contact_state(w, state);
  w.end_object();
  return payload;
}

}  // namespace

void RosterHandler::handle(Request& request) {
  auto& session = request.session;
  auto& context = session.context();
  const auto& msg = request.message;
  auto fail = [&](ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id, core::Failure{code, std::move(detail), std::string(msg.message_id), {}});
  };
  std::string action(msg.payload_string("action"));
  if (action == "list") return list(request);
  if (!context.writer) return fail(ErrorCode::kServiceUnavailable, "ROSTER: no store");

  RosterRequest change{session.user_id(), action, std::string(msg.payload_string("contact_id")), contact_info_of(msg),
                       static_cast<std::int64_t>(std::time(nullptr))};
  RosterOutcome outcome;
  try {
    // Check and write in one writer task: two workers' changes to the same
    // pair cannot interleave, and the answer means "committed".
    context.writer->run_sync([&](store::SqliteDatabase& db) {
      if (change.action == "add") {
        change.contact_has_account = AccountStore(db).user(change.contact_id).has_value();
        db.end_open_reads();
      }
      RosterStore roster(db);
      outcome = apply_roster_action(roster, change);
    });
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDatabaseError, std::string("ROSTER: ") + e.what());
  }
  if (outcome.error) return fail(*outcome.error, outcome.detail);

  std::string extra;
  core::JsonWriter w(extra);
  w.begin_object().member("contact_id", change.contact_id);
  write_contact_state(w, outcome.state);
  w.end_object();
  session.answer_receipt(request.stream_id, msg.message_id, "ok", extra);

  if (!context.directory || !context.mailer) return;
  auto& identity = context.identity;
  send_to_user(*context.directory, *context.mailer, session.user_id(),
               server_message_frame(identity, "ROSTER", session.user_id(),
                                    change_payload(msg, change.contact_info_json, outcome.state)),
               Delivery::kReliable, session.connection_id());
  for (const auto& notice : outcome.notices)
    send_to_user(*context.directory, *context.mailer, notice.to_user,
                 roster_notice_frame(identity, notice.to_user, notice.action, notice.contact_id), Delivery::kReliable);
  if (!listener_) return;
  for (const auto& edge : outcome.ended) listener_->subscription_ended(context, edge.watcher, edge.watched);
  for (const auto& edge : outcome.approved) listener_->subscription_approved(context, edge.watcher, edge.watched);
}

// Success with data (wire profile 4): a ROSTER `list` carrying the contacts
// with their state, who waits for the user's approval, and whom the user
// blocked. `contact_id` is the user itself so the answer is a valid ROSTER.
void RosterHandler::list(Request& request) {
  auto& session = request.session;
  auto& context = session.context();
  const auto& user = session.user_id();
  if (!context.reader) {
    session.answer_error(request.stream_id, core::Failure{ErrorCode::kServiceUnavailable, "ROSTER: no store",
                                                          std::string(request.message.message_id), {}});
    return;
  }
  std::string payload;
  try {
    context.reader->end_open_reads();
    RosterStore roster(*context.reader);
    core::JsonWriter w(payload);
    w.begin_object()
        .member("target_message_id", request.message.message_id)
        .member("action", "list")
        .member("contact_id", user)
        .key("contact_info").raw("{}")
        .key("contacts").begin_array();
    for (const auto& c : roster.contacts(user)) {
      w.begin_object().member("contact_id", c.contact_id).key("contact_info").raw(c.contact_info_json);
      write_contact_state(w, contact_state(roster, user, c.contact_id));
      w.end_object();
    }
    w.end_array().key("pending_requests").begin_array();
    for (const auto& id : roster.pending_requests_to(user)) w.value(id);
    w.end_array().key("blocked").begin_array();
    for (const auto& id : roster.blocked_by(user)) w.value(id);
    w.end_array().end_object();
  } catch (const std::exception& e) {
    session.answer_error(request.stream_id, core::Failure{ErrorCode::kDatabaseError, std::string("ROSTER: ") + e.what(),
                                                          std::string(request.message.message_id), {}});
    return;
  }
  session.send(request.stream_id,
               server_message_json(context.identity, "ROSTER", user, session.device_id(), payload), "ROSTER");
}

}  // namespace qsip::server
