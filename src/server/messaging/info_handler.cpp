#include "server/messaging/info_handler.hpp"

#include <algorithm>

#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/groups/group_directory.hpp"
#include "server/moderation/sanction_directory.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

void InfoHandler::handle(Request& request) {
  auto& session = request.session;
  const auto& msg = request.message;
  auto fail = [&](core::ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id,
                         core::Failure{code, std::move(detail), std::string(msg.message_id), std::string(msg.session_id)});
  };
  if (msg.to_user_id.empty() && msg.to_group_id.empty() && msg.to_channel_id.empty())
    return fail(core::ErrorCode::kMalformedPayload, "to.user_id: required (or to.group_id)");
  auto& context = session.context();
  auto& budgets = budgets_.at(context.worker_index);
  auto bucket = budgets.try_emplace(session.connection_id(), kPerSecond, kBurst).first;
  if (!bucket->second.take()) return;  // dropped: late typing news is no news
  if (!context.directory || !context.mailer) return;
  auto frame = make_frame_bytes(std::string(request.frame));
  if (!msg.to_group_id.empty() || !msg.to_channel_id.empty()) {
    // A channel is a group of kind channel: either field names either kind.
    const bool group = !msg.to_group_id.empty();
    const std::string id(group ? msg.to_group_id : msg.to_channel_id);
    const std::string field = group ? "to.group_id" : "to.channel_id";
    auto members = group_directory::members(*context.reader, id);
    if (members.empty()) return fail(core::ErrorCode::kGroupNotFound, field + ": no group " + id);
    if (std::find(members.begin(), members.end(), session.user_id()) == members.end())
      return fail(core::ErrorCode::kForbidden, field + ": you are not a member of " + id);
    if (auto muted = sanction_directory::mute_refusal(*context.reader, field, id, session.user_id(), unix_now_ms()))
      return fail(core::ErrorCode::kForbidden, std::move(*muted));
    for (const auto& member : members)
      send_to_user(*context.directory, *context.mailer, member, frame, Delivery::kDroppable, session.connection_id());
    return;
  }
  const std::string to(msg.to_user_id);
  if (auto refused = check_direct_message(*context.reader, rules_, session.user_id(), to))
    return fail(refused->code, std::move(refused->detail));
  send_to_user(*context.directory, *context.mailer, to, frame, Delivery::kDroppable, session.connection_id());
}

void InfoHandler::on_unregistered(ClientSession& session) {
  budgets_.at(session.context().worker_index).erase(session.connection_id());
}

}  // namespace qsip::server
