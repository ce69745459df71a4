#include "server/messaging/message_deletion.hpp"

#include <utility>
#include <vector>

#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/groups/group_directory.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"

namespace qsip::server {

store::MessageChange deletion_of(const store::StoredEvent& message) {
  store::MessageChange change;
  change.kind = store::MessageChange::Kind::kDelete;
  change.target_seq = message.seq;
  return change;
}

bool already_deleted(store::MessageStore& store, const store::StoredEvent& message) {
  auto now = store.now(message.seq);
  return !now || now->deleted;
}

bool delete_as_server(store::MessageStore& store, store::SqliteDatabase& reader, ServerIdentity& identity,
                      MessageDelivery& delivery, DeviceDirectory& directory, ConnectionMailer& mailer,
                      const store::StoredEvent& message, const ServerDeletion& why,
                      std::function<void(const store::AppendOutcome&)> done) {
  std::vector<std::pair<std::string, std::string>> targets;  // (to_user, to_group)
  if (!message.to_group.empty()) {
    targets.emplace_back("", message.to_group);
  } else {
    targets.emplace_back(message.sender_user, "");
    if (message.to_user != message.sender_user) targets.emplace_back(message.to_user, "");
  }
  bool first = true;
  for (const auto& [to_user, to_group] : targets) {
    std::string payload;
    core::JsonWriter w(payload);
    w.begin_object().member("action", "delete").member("target_message_id", message.message_id);
    if (!why.reason.empty()) w.member("reason", why.reason);
    if (!why.by_user_id.empty()) w.member("by_user_id", why.by_user_id);
    w.end_object();
    std::string id = identity.new_message_id(), now = ServerIdentity::now();
    core::EnvelopeFields f;
    f.message_id = id;
    f.timestamp = now;
    f.type = "MESSAGE_ACTION";
    f.from_user_id = identity.server_id();
    f.from_device_id = identity.node_id();
    f.to_user_id = to_user;
    f.to_group_id = to_group;
    store::StoredEvent event;
    event.kind = "MESSAGE_ACTION";
    event.sender_user = identity.server_id();
    event.sender_device = identity.node_id();
    event.message_id = id;
    event.to_user = to_user;
    event.to_group = to_group;
    event.target_message_id = message.message_id;
    event.created_at_ms = unix_now_ms();
    event.envelope = core::build_envelope(f, payload);
    store::MessageChange change;
    if (first) change = deletion_of(message);
    EventRoute route;
    route.frame = make_frame_bytes(core::encode_frame(event.envelope));
    route.users = to_group.empty() ? std::vector<std::string>{to_user} : group_directory::members(reader, to_group);
    auto completion = [&delivery, &directory, &mailer, route = std::move(route),
                       done = first ? std::move(done) : std::function<void(const store::AppendOutcome&)>()](
                          const store::AppendOutcome& o) mutable {
      if (done) done(o);
      if (!o.stored || o.duplicate || o.unchanged) return;
      route.seq = o.seq;
      delivery.publish(directory, mailer, route);
    };
    if (!store.append(std::move(event), std::move(change), std::move(completion))) return false;
    first = false;
  }
  return true;
}

}  // namespace qsip::server
