#include "server/profile/profile_notifier.hpp"

#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"
#include "server/profile/profile_view.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

namespace {
std::string notice_payload(const ProfileNotice& n, Audience audience) {
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object()
      .member("action", "set")
      .member("target_user_id", n.user_id)
      .key("profile_data").raw(profile_data_json(n.profile, audience))
      .key("changed_fields").begin_array();
  for (const auto& f : n.changed)
    if (audience == Audience::kOwner || visible_to(n.profile, group_of(f), audience)) w.value(f);
  w.end_array();
  if (!n.origin_device_id.empty() && audience == Audience::kOwner) w.member("origin_device_id", n.origin_device_id);
  w.end_object();
  return payload;
}

FrameBytes frame_for(ServerIdentity& identity, std::string_view to_user, const std::string& payload) {
  std::string id = identity.new_message_id();
  std::string now = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = "USER_PROFILE";
  f.from_user_id = identity.server_id();
  f.from_device_id = identity.node_id();
  f.to_user_id = to_user;
  return make_frame_bytes(core::encode_frame(core::build_envelope(f, payload)));
}
}  // namespace

void ProfileNotifier::notify(ServerIdentity& identity, const DeviceDirectory& directory, ConnectionMailer& mailer,
                             store::SqliteDatabase& reader, const ProfileNotice& n) {
  if (n.changed.empty() && !n.visibility_changed) return;
  send_to_user(directory, mailer, n.user_id, frame_for(identity, n.user_id, notice_payload(n, Audience::kOwner)),
               Delivery::kReliable, n.except_connection);
  if (!any_visible(n.profile, n.changed, Audience::kContact) && !n.visibility_changed) return;
  // A visibility change can hide or reveal fields: contacts get the view they have now.
  FrameBytes contact_frame;
  for (const auto& contact : contacts_.contacts_of(reader, n.user_id)) {
    if (!directory.online(contact)) continue;
    if (!contact_frame) contact_frame = frame_for(identity, {}, notice_payload(n, Audience::kContact));
    // Like presence, what others see of a user may be dropped under back-pressure.
    send_to_user(directory, mailer, contact, contact_frame, Delivery::kDroppable);
  }
}

}  // namespace qsip::server
