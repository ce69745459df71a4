// SESSION listen / whisper / barge: a supervisor joins an answered queue
// call, or changes its mode (supervision.hpp, docs/call-centre.md
// "Supervisors").
#include "server/calls/supervision.hpp"

#include "core/json_writer.hpp"
#include "server/calls/call_notices.hpp"
#include "server/calls/call_reply.hpp"
#include "server/calls/track_rewrite.hpp"
#include "server/dispatch/client_session.hpp"

namespace qsip::server::calls {

using core::ErrorCode;
using S = ParticipantState;

std::string_view mode_name(MediaMode mode) {
  switch (mode) {
    case MediaMode::kListen: return "listen";
    case MediaMode::kWhisper: return "whisper";
    case MediaMode::kFull: return "barge";
  }
  return "barge";
}

std::optional<MediaMode> supervision_mode(std::string_view action) {
  if (action == "listen") return MediaMode::kListen;
  if (action == "whisper") return MediaMode::kWhisper;
  if (action == "barge") return MediaMode::kFull;
  return std::nullopt;
}

void tell_supervisor_left(CallSession& session, const Participant& supervisor, Outbox& out,
                          ServerIdentity& identity) {
  for (const auto& o : session.participants)
    if (&o != &supervisor && in_call(o.state) && !hidden_from(supervisor, o))
      out.send(o.bound.connection_id, supervisor_notice(identity, session, o.user_id, "participant_left", supervisor));
}

namespace {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kCaller: return "customer";
    case Role::kSupervisor: return "supervisor";
    default: return "agent";
  }
}

void write_codecs(core::JsonWriter& w, const CodecMap& codecs) {
  w.begin_object();
  for (const auto& [type, names] : codecs) {
    w.key(type).begin_array();
    for (const auto& name : names) w.value(name);
    w.end_array();
  }
  w.end_object();
}

// What the supervisor's device needs to take part: the session's media
// (types, offered codecs) and everyone else in the call with the codecs it
// chose and its tracks, on the flow ids the relay will forward them to the
// supervisor with.
std::string joined_receipt(CallSession& s, const Participant& me) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_object().member("session_id", s.session_id).member("state", state_name(me.state));
  w.member("mode", mode_name(me.media_mode)).member("queue_item_id", s.queue_item_id);
  w.key("media_types").begin_array();
  for (const auto& type : s.offer.media_types) w.value(type);
  w.end_array();
  w.key("codecs");
  write_codecs(w, s.offer.codecs);
  w.key("participants").begin_array();
  for (const auto& p : s.participants) {
    if (&p == &me || !in_call(p.state)) continue;
    w.begin_object().member("user_id", p.user_id).member("device_id", p.bound.device_id);
    w.member("role", role_name(p.role));
    if (p.role == Role::kSupervisor) w.member("mode", mode_name(p.media_mode));
    if (!p.chosen.empty()) {
      w.key("codecs");
      write_codecs(w, p.chosen);
    }
    w.key("tracks");
    write_tracks_for(w, s, me.user_id, p);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return json;
}

// The agent of a queue call: its callee in the call (after a transfer, the target who accepted).
Participant* agent_of(CallSession& s) {
  for (auto& p : s.participants)
    if (p.role == Role::kCallee && in_call(p.state)) return &p;
  return nullptr;
}

}  // namespace

// Authorization first (4014), so that nobody else learns whether a session
// exists; then the session (4043), that it is a queue call (4031) and that
// it is answered (4051).
void CallService::supervise(Request& r, Reply& reply, Outbox& out) {
  const auto& msg = r.message;
  auto& session = r.session;
  auto& identity = session.context().identity;
  const std::string session_id(msg.session_id), me(msg.from_user_id), device(msg.from_device_id);
  const std::string action(msg.payload_string("action"));
  const MediaMode mode = supervision_mode(action).value_or(MediaMode::kListen);
  if (!queue_events_.is_supervisor || !queue_events_.is_supervisor(me))
    return reply.fail(ErrorCode::kInsufficientPermissions,
                      "payload.action: " + action + " is for call-centre supervisors and server admins");
  simdjson::dom::array given_tracks;
  const bool tracks_given = msg.payload["tracks"].get(given_tracks) == simdjson::SUCCESS;
  auto frame = make_frame_bytes(std::string(r.frame));
  bool found = registry_.with_session(session_id, [&](CallSession& s) {
    if (s.queue_item_id.empty())
      return reply.fail(ErrorCode::kForbidden, "session_id: only call-centre (queue) calls can be supervised"), false;
    Participant* agent = agent_of(s);
    Participant* customer = s.caller();
    if (!s.answered || !agent || !customer || !in_call(customer->state))
      return reply.fail(ErrorCode::kInvalidActionForState, "session_id: the agent has not answered this call"), false;
    auto tracks = read_tracks(msg.payload, "tracks", s.offer.media_types);
    if (!tracks) return reply.failure.emplace(tracks.failure()), false;
    Participant* p = s.find(me);
    if (p && p->role != Role::kSupervisor)
      return reply.fail(ErrorCode::kInvalidActionForState,
                        "session_id: you take part in this call as its " + std::string(role_name(p->role))),
             false;
    if (p && !in_call(p->state)) {  // joins again after leaving
      std::erase_if(s.participants, [&](const Participant& o) { return &o == p; });
      p = nullptr;
      agent = agent_of(s);
    }
    const std::string whisper_to = mode == MediaMode::kWhisper ? agent->user_id : std::string();
    if (!p) {
      std::size_t supervisors = 0;
      for (const auto& o : s.participants) supervisors += o.role == Role::kSupervisor && in_call(o.state);
      if (supervisors >= kMaxSupervisorsPerCall)
        return reply.fail(ErrorCode::kInvalidActionForState,
                          "session_id: at most " + std::to_string(kMaxSupervisorsPerCall) + " supervisors in a call"),
               false;
      Participant q;
      q.user_id = me;
      q.role = Role::kSupervisor;
      q.state = S::kActive;
      q.bound = CallDevice{device, session.connection_id()};
      q.media_mode = mode;
      q.whisper_to = whisper_to;
      q.tracks = std::move(tracks.value());
      s.participants.push_back(std::move(q));
      const Participant& joined = s.participants.back();
      for (const auto& o : s.participants)
        if (&o != &joined && in_call(o.state) && !hidden_from(joined, o))
          out.send(o.bound.connection_id, supervisor_notice(identity, s, o.user_id, "participant_joined", joined));
      out.indexed.emplace_back(session.connection_id(), session_id);
      reply.extra_members = joined_receipt(s, joined);
      return false;
    }
    if (p->bound.connection_id != session.connection_id())
      return reply.fail(ErrorCode::kInvalidActionForState, "session_id: the call is on device " + p->bound.device_id), false;
    // A change of mode: who knew of the supervisor and who will now.
    const Participant before = *p;
    p->media_mode = mode;
    p->whisper_to = whisper_to;
    if (tracks_given) p->tracks = std::move(tracks.value());
    for (const auto& o : s.participants) {
      if (&o == p || !in_call(o.state)) continue;
      const bool knew = !hidden_from(before, o), knows = !hidden_from(*p, o);
      if (knew && knows)  // relayed like any SESSION action, its tracks on the receiver's flow ids
        out.send(o.bound.connection_id, frame_for_receiver(s, *p, o.user_id, "tracks", p->tracks, frame));
      else if (knows)
        out.send(o.bound.connection_id, supervisor_notice(identity, s, o.user_id, "participant_joined", *p));
      else if (knew)
        out.send(o.bound.connection_id, supervisor_notice(identity, s, o.user_id, "participant_left", before));
    }
    reply.extra_members = joined_receipt(s, *p);
    return false;
  });
  if (!found) reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id);
}

}  // namespace qsip::server::calls
