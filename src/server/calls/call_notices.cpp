#include "server/calls/call_notices.hpp"

#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"

namespace qsip::server::calls {

namespace {

FrameBytes from_server(ServerIdentity& identity, std::string_view type, std::string_view session_id,
                       std::string_view to_user, const std::string& payload) {
  std::string id = identity.new_message_id(), now = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = type;
  f.from_user_id = identity.server_id();
  f.from_device_id = identity.node_id();
  f.to_user_id = to_user;
  f.session_id = session_id;
  return make_frame_bytes(core::encode_frame(core::build_envelope(f, payload)));
}

}  // namespace

FrameBytes server_end(ServerIdentity& identity, std::string_view session_id, std::string_view to_user,
                      std::string_view reason, std::string_view detail) {
  std::string payload;
  core::JsonWriter(payload).begin_object().member("reason", reason).member("detail", detail).end_object();
  return from_server(identity, "END", session_id, to_user, payload);
}

FrameBytes server_reject(ServerIdentity& identity, std::string_view session_id, std::string_view to_user,
                         std::string_view reason, std::string_view detail, std::string_view rejected_by) {
  std::string payload;
  core::JsonWriter(payload)
      .begin_object()
      .member("reason", reason)
      .member("detail", detail)
      .member("user_id", rejected_by)
      .end_object();
  return from_server(identity, "REJECT", session_id, to_user, payload);
}

FrameBytes session_notice(ServerIdentity& identity, std::string_view session_id, std::string_view to_user,
                          std::string_view action, std::string_view user_id, std::string_view device_id) {
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().member("action", action).member("user_id", user_id);
  if (!device_id.empty()) w.member("device_id", device_id);
  w.end_object();
  return from_server(identity, "SESSION", session_id, to_user, payload);
}

namespace {

void write_offer(core::JsonWriter& w, const Offer& offer) {
  w.key("media_types").begin_array();
  for (const auto& type : offer.media_types) w.value(type);
  w.end_array();
  if (!offer.codecs.empty()) {
    w.key("codecs").begin_object();
    for (const auto& [type, names] : offer.codecs) {
      w.key(type).begin_array();
      for (const auto& name : names) w.value(name);
      w.end_array();
    }
    w.end_object();
  }
}

}  // namespace

FrameBytes queue_call_invite(ServerIdentity& identity, const CallSession& session, std::string_view to_user,
                             std::string_view customer_id) {
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object();
  write_offer(w, session.offer);
  w.member("purpose", "customer_support_call");
  w.member("caller_user_id", customer_id);
  w.member("queue_item_id", session.queue_item_id);
  w.end_object();
  return from_server(identity, "INVITE", session.session_id, to_user, payload);
}

FrameBytes transfer_invite(ServerIdentity& identity, const CallSession& session, std::string_view to_user,
                           std::string_view remaining_user, std::string_view transferred_by) {
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().key("media_types").begin_array();
  for (const auto& type : session.offer.media_types) w.value(type);
  w.end_array();
  if (!session.offer.codecs.empty()) {
    w.key("codecs").begin_object();
    for (const auto& [type, names] : session.offer.codecs) {
      w.key(type).begin_array();
      for (const auto& name : names) w.value(name);
      w.end_array();
    }
    w.end_object();
  }
  w.member("purpose", "transfer");
  w.member("caller_user_id", remaining_user);
  w.member("transferred_by", transferred_by);
  w.end_object();
  return from_server(identity, "INVITE", session.session_id, to_user, payload);
}

void write_tracks_for(core::JsonWriter& w, CallSession& session, const std::string& receiver,
                      const Participant& sender) {
  w.begin_array();
  for (const auto& t : sender.tracks) {
    const auto flow = session.flows.assign(receiver, sender.user_id, t.track_id, t.flow_id);
    w.begin_object().member("track_id", t.track_id).member("kind", t.kind).member("flow_id", flow).end_object();
  }
  w.end_array();
}

FrameBytes supervisor_notice(ServerIdentity& identity, CallSession& session, std::string_view to_user,
                             std::string_view action, const Participant& supervisor) {
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().member("action", action).member("user_id", supervisor.user_id);
  w.member("device_id", supervisor.bound.device_id).member("role", "supervisor");
  if (action != "participant_left") {
    w.member("mode", supervisor.media_mode == MediaMode::kListen    ? "listen"
                     : supervisor.media_mode == MediaMode::kWhisper ? "whisper"
                                                                    : "barge");
    w.key("tracks");
    write_tracks_for(w, session, std::string(to_user), supervisor);
  }
  w.end_object();
  return from_server(identity, "SESSION", session.session_id, to_user, payload);
}

}  // namespace qsip::server::calls
