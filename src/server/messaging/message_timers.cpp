#include "server/messaging/message_timers.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/groups/group_directory.hpp"
#include "server/messaging/message_deletion.hpp"
#include "server/moderation/sanction_directory.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {
namespace {

constexpr std::size_t kBatch = 256;
// Without anything due, the thread still looks now and then (a wake lost to
// a race costs at most this).
constexpr std::int64_t kIdleLookMs = 30'000;

}  // namespace

MessageTimers::MessageTimers(const std::string& database_path, store::GroupCommitWriter& writer,
                             MessageDelivery& delivery, ServerIdentity identity, DirectMessageRules rules)
    : reader_(database_path, store::SyncPolicy::kNormal),
      writer_(writer),
      store_(reader_, writer),
      delivery_(delivery),
      identity_(std::move(identity)),
      rules_(rules) {}

MessageTimers::~MessageTimers() { stop(); }

void MessageTimers::start(DeviceDirectory& directory, ConnectionMailer& mailer) {
  directory_ = &directory;
  mailer_ = &mailer;
  thread_.start(std::chrono::milliseconds(kIdleLookMs), [this] { return run_due(); });
}

std::int64_t MessageTimers::run_due() {
  std::int64_t next = unix_now_ms() + kIdleLookMs;
  try {
    const auto now = unix_now_ms();
    auto held = store_.due_scheduled(now, kBatch);
    for (const auto& h : held) release(h);
    auto expired = store_.due_expiries(now, kBatch);
    for (const auto& e : expired) expire(e);
    // What was submitted is committed before looking again, so that it is
    // not seen as still due.
    if (!held.empty() || !expired.empty()) writer_.flush();
    if (held.size() == kBatch || expired.size() == kBatch) next = now;
    if (auto t = store_.next_timer_ms()) next = std::min(next, *t);
  } catch (const std::exception&) {
    // The store failed: try again a little later rather than spin.
    next = unix_now_ms() + 1000;
  }
  return next;
}

std::uint64_t MessageTimers::connection_of(const std::string& user, const std::string& device_id) const {
  for (const auto& d : directory_->devices(user))
    if (d.device_id == device_id) return d.connection_id;
  return 0;
}

void MessageTimers::release(const store::StoredEvent& held) {
  // The rules are checked again: the recipient may have blocked the sender,
  // or lost the account, or the sender left the group, while the message waited.
  std::optional<core::Failure> refused;
  std::vector<std::string> users;
  if (held.to_group.empty()) {
    refused = check_direct_message(reader_, rules_, held.sender_user, held.to_user);
    users = {held.to_user, held.sender_user};
  } else {
    users = group_directory::members(reader_, held.to_group);
    if (std::find(users.begin(), users.end(), held.sender_user) == users.end())
      refused = core::Failure{core::ErrorCode::kForbidden, "to.group_id: you are no longer a member of " + held.to_group, {}, {}};
    else if (auto muted = sanction_directory::mute_refusal(reader_, "to.group_id", held.to_group, held.sender_user, unix_now_ms()))
      refused = core::Failure{core::ErrorCode::kForbidden, std::move(*muted), {}, {}};
  }
  if (refused) {
    store_.drop_scheduled(held.sender_user, held.message_id);
    std::string extra;
    core::JsonWriter(extra).begin_object().member("detail", refused->detail).end_object();
    std::string id = identity_.new_message_id(), now = ServerIdentity::now();
    core::EnvelopeFields f;
    f.message_id = id;
    f.timestamp = now;
    f.from_user_id = identity_.server_id();
    f.from_device_id = identity_.node_id();
    f.to_user_id = held.sender_user;
    auto frame = make_frame_bytes(core::encode_frame(core::build_receipt(f, held.message_id, "failed", extra)));
    send_to_user(*directory_, *mailer_, held.sender_user, frame, Delivery::kReliable);
    return;
  }
  EventRoute route;
  route.frame = make_frame_bytes(core::encode_frame(held.envelope));
  route.users = std::move(users);
  route.except_connection = connection_of(held.sender_user, held.sender_device);
  store_.release(held.sender_user, held.message_id, [this, route = std::move(route)](const store::AppendOutcome& o) mutable {
    if (!o.stored || o.duplicate) return;
    route.seq = o.seq;
    delivery_.publish(*directory_, *mailer_, route);
  });
}

void MessageTimers::expire(const store::StoredEvent& message) {
  // A server MESSAGE_ACTION delete stored for the conversation, as every
  // delete (message_deletion.hpp): offline devices get it at their next REGISTER.
  delete_as_server(store_, reader_, identity_, delivery_, *directory_, *mailer_, message, ServerDeletion{"ephemeral_ttl", {}});
}

}  // namespace qsip::server
