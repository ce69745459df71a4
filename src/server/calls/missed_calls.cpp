#include "server/calls/missed_calls.hpp"

#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"
#include "server/dispatch/iso_time.hpp"

namespace qsip::server::calls {

MissedCalls::MissedCalls(const std::string& database_path, store::GroupCommitWriter& writer, MessageDelivery& delivery,
                         ServerIdentity identity)
    : reader_(database_path, store::SyncPolicy::kNormal),
      store_(reader_, writer),
      delivery_(delivery),
      identity_(std::move(identity)) {}

void MissedCalls::start(DeviceDirectory& directory, ConnectionMailer& mailer) {
  std::lock_guard lock(mutex_);
  directory_ = &directory;
  mailer_ = &mailer;
}

void MissedCalls::record(const MissedCall& call) {
  std::lock_guard lock(mutex_);
  std::string content = "Missed call from " + call.caller;
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().member("message_type", "text").member("content", content).key("missed_call").begin_object();
  w.member("session_id", call.session_id).member("caller_user_id", call.caller).key("media_types").begin_array();
  for (const auto& type : call.media_types) w.value(type);
  w.end_array().member("reason", call.reason);
  if (!call.group_id.empty()) w.member("group_id", call.group_id);
  w.end_object().end_object();

  std::string id = identity_.new_message_id(), now = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = "MESSAGE";
  f.from_user_id = identity_.server_id();
  f.from_device_id = identity_.node_id();
  f.to_user_id = call.callee;
  store::StoredEvent event;
  event.kind = "MESSAGE";
  event.sender_user = identity_.server_id();
  event.sender_device = identity_.node_id();
  event.message_id = id;
  event.to_user = call.callee;
  event.created_at_ms = unix_now_ms();
  event.envelope = core::build_envelope(f, payload);
  EventRoute route;
  route.frame = make_frame_bytes(core::encode_frame(event.envelope));
  route.users = {call.callee};
  store_.append(std::move(event), [this, route = std::move(route)](const store::AppendOutcome& o) mutable {
    if (!o.stored || o.duplicate || directory_ == nullptr || mailer_ == nullptr) return;
    route.seq = o.seq;
    delivery_.publish(*directory_, *mailer_, route);
  });
}

}  // namespace qsip::server::calls
