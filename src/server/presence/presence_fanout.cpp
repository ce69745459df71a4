#include "server/presence/presence_fanout.hpp"

#include "server/presence/presence_message.hpp"
#include "server/roster/roster_store.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

void PresenceFanout::changed(WorkerContext& context, const std::string& user_id, const std::string& device_id,
                             const PresenceChange& change, std::uint64_t except_connection) {
  if (!context.directory || !context.mailer) return;
  if (change.device_changed) {
    DeviceOrigin origin{device_id, change.device.status};
    send_to_user(*context.directory, *context.mailer, user_id, presence_frame(context.identity, user_id, change.user, &origin),
                 Delivery::kDroppable, except_connection);
  }
  if (!change.user_changed || !context.reader) return;
  std::vector<std::string> watchers;
  try {
    context.reader->end_open_reads();
    watchers = RosterStore(*context.reader).watchers(user_id);
  } catch (const std::exception&) {
    return;  // presence is best effort; the next change or REGISTER brings it
  }
  if (watchers.empty()) return;
  auto frame = presence_frame(context.identity, user_id, change.user);
  for (const auto& watcher : watchers)
    send_to_user(*context.directory, *context.mailer, watcher, frame, Delivery::kDroppable);
}

void PresenceFanout::snapshot(ClientSession& session) {
  auto& context = session.context();
  const auto& user = session.user_id();
  if (table_.publishing(user)) session.push(presence_frame(context.identity, user, table_.current(user)), Delivery::kDroppable);
  if (!context.reader) return;
  std::vector<std::string> watched;
  try {
    context.reader->end_open_reads();
    watched = RosterStore(*context.reader).watching(user);
  } catch (const std::exception&) {
    return;
  }
  for (const auto& contact : watched)
    session.push(presence_frame(context.identity, contact, table_.current(contact)), Delivery::kDroppable);
}

void PresenceFanout::subscription_approved(WorkerContext& context, const std::string& watcher, const std::string& watched) {
  if (!context.directory || !context.mailer) return;
  send_to_user(*context.directory, *context.mailer, watcher, presence_frame(context.identity, watched, table_.current(watched)),
               Delivery::kDroppable);
}

void PresenceFanout::subscription_ended(WorkerContext& context, const std::string& watcher, const std::string& watched) {
  if (!context.directory || !context.mailer) return;
  // Only "offline": no status, no last_active_at, since the watcher may no longer know them.
  send_to_user(*context.directory, *context.mailer, watcher, presence_frame(context.identity, watched, PresenceInfo{}),
               Delivery::kDroppable);
}

}  // namespace qsip::server
