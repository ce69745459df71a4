#include "server/calls/call_service.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "server/calls/call_notices.hpp"
#include "server/calls/call_reply.hpp"
#include "server/calls/call_routes.hpp"
#include "server/calls/layer_selection.hpp"
#include "server/calls/supervision.hpp"
#include "server/calls/track_rewrite.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/groups/group_directory.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"

namespace qsip::server::calls {

using core::ErrorCode;
using S = ParticipantState;
using E = CallEvent;

namespace {

// The devices that hear about the session on a participant's behalf.
void send_to(Outbox& out, const Participant& p, const FrameBytes& frame) {
  if (p.state == S::kRinging) {
    for (const auto& d : p.ringing) out.send(d.connection_id, frame);
  } else if (live(p.state)) {
    out.send(p.bound.connection_id, frame);
  }
}

// Every other participant still in the session.
void send_to_others(Outbox& out, const CallSession& s, const Participant& me, const FrameBytes& frame) {
  for (const auto& p : s.participants)
    if (&p != &me) send_to(out, p, frame);
}

// Members of the call: INVITING, ACTIVE or ON_HOLD. A session without any has ended.
bool has_members(const CallSession& s) {
  return std::any_of(s.participants.begin(), s.participants.end(), [](const Participant& p) {
    return p.state == S::kInviting || in_call(p.state);
  });
}

bool anyone_ringing(const CallSession& s) {
  return std::any_of(s.participants.begin(), s.participants.end(),
                     [](const Participant& p) { return p.state == S::kRinging; });
}

MissedCall missed(const CallSession& s, const Participant& callee, std::string caller, std::string reason) {
  return MissedCall{callee.user_id, std::move(caller), s.session_id, s.group_id, s.offer.media_types, std::move(reason)};
}

std::string caller_of(CallSession& s) {
  auto* c = s.caller();
  return c ? c->user_id : std::string();
}

// Ends the session for everyone still in it with a server END.
void end_for_everyone(CallSession& s, Outbox& out, ServerIdentity& identity, std::string_view reason,
                      std::string_view detail) {
  for (auto& p : s.participants) {
    if (!live(p.state)) continue;
    send_to(out, p, server_end(identity, s.session_id, p.user_id, reason, detail));
    p.state = S::kTerminated;
  }
}

// After someone left a group call: when nobody is in it any more, the
// invitations still ringing are withdrawn and the session ends.
bool settle(CallSession& s, Outbox& out, ServerIdentity& identity) {
  if (has_members(s)) {
    // A caller still inviting with nobody left to answer gets END too.
    auto* caller = s.caller();
    bool others_in_call = std::any_of(s.participants.begin(), s.participants.end(), [](const Participant& p) {
      return p.role != Role::kCaller && in_call(p.state);
    });
    if (caller && caller->state == S::kInviting && !anyone_ringing(s) && !others_in_call) {
      end_for_everyone(s, out, identity, "no_answer", "nobody answered");
      return true;
    }
    return false;
  }
  end_for_everyone(s, out, identity, "hangup", "everybody left");
  return true;
}

// The participant in the call on `connection`, if any.
const Participant* participant_on(const CallSession& s, std::uint64_t connection) {
  for (const auto& p : s.participants)
    if (in_call(p.state) && p.bound.connection_id == connection) return &p;
  return nullptr;
}

std::string receipt_members(const CallSession& s, const Participant& me) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member("session_id", s.session_id).member("state", state_name(me.state)).end_object();
  return out;
}

// The acceptor's RECEIPT also lists the tracks of everyone already in the
// call, under the flow ids it will see them on (it saw the caller's in the
// INVITE, but not those of members who joined before it or added tracks).
std::string accept_receipt_members(CallSession& s, const Participant& me) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member("session_id", s.session_id).member("state", state_name(me.state));
  bool any = false;
  for (const auto& other : s.participants) {
    if (&other == &me || !in_call(other.state)) continue;
    for (const auto& track : other.tracks) {
      if (!any) w.key("tracks").begin_array();
      any = true;
      w.begin_object().member("user_id", other.user_id).member("track_id", track.track_id).member("kind", track.kind);
      w.member("flow_id", s.flows.assign(me.user_id, other.user_id, track.track_id, track.flow_id));
      if (!track.layers.empty()) {
        w.key("layers").begin_array();
        for (const auto& l : track.layers) w.begin_object().member("rid", l.rid).member("max_bitrate", l.max_bitrate).end_object();
        w.end_array();
      }
      w.end_object();
    }
  }
  if (any) w.end_array();
  w.end_object();
  return out;
}

}  // namespace

CallService::CallService(CallSettings settings, ServerIdentity timer_identity, MissedCalls* missed)
    : settings_(settings),
      timer_identity_(std::move(timer_identity)),
      missed_(missed),
      timers_([this](const std::string& session_id) { expire(session_id); }) {
  // Every change of a session republishes its media routes, in order (under its lock).
  registry_.set_on_change([this](CallSession& s, bool ended) {
    if (!route_publisher_) return;
    route_publisher_->publish(ended ? media::SessionRoutes{s.session_id, {}} : compute_routes(s));
  });
  registry_.set_on_end([this](const CallSession& s) {
    if (s.queue_item_id.empty()) return;
    std::string agent;
    for (const auto& p : s.participants)
      if (p.role == Role::kCallee && agent.empty()) agent = p.user_id;  // the agent (a transfer target comes later)
    const auto outcome = s.answered           ? QueueCallOutcome::kAnswered
                         : s.customer_hung_up ? QueueCallOutcome::kCustomerHungUp
                                              : QueueCallOutcome::kNotAnswered;
    std::lock_guard lock(ended_mutex_);
    ended_queue_calls_.push_back({s.queue_item_id, agent, outcome});
  });
}

void CallService::set_queue_call_events(QueueCallEvents events) { queue_events_ = std::move(events); }

void CallService::set_in_call_listener(UsersInCalls::Listener listener) {
  registry_.users_in_calls().set_listener(std::move(listener));
}

CallService::~CallService() { stop(); }

void CallService::start(DeviceDirectory& directory, ConnectionMailer& mailer) {
  directory_ = &directory;
  mailer_ = &mailer;
  timers_.start();
}

void CallService::stop() { timers_.stop(); }

void CallService::handle(Request& request) {
  Reply reply;
  Outbox out;
  const auto& msg = request.message;
  switch (msg.type) {
    case core::MessageType::kInvite: invite(request, reply, out); break;
    case core::MessageType::kAccept: accept(request, reply, out); break;
    case core::MessageType::kReject: reject(request, reply, out); break;
    case core::MessageType::kEnd: end(request, reply, out); break;
    case core::MessageType::kSession: session_action(request, reply, out); break;
    case core::MessageType::kError:
      reply.silent = true;  // never answer an ERROR with an ERROR
      relay_error(request, out);
      break;
    default: relay(request, reply, out); break;
  }
  auto& session = request.session;
  if (!reply.silent) {
    if (reply.failure) {
      reply.failure->target_message_id = std::string(msg.message_id);
      reply.failure->session_id = std::string(msg.session_id);
      session.answer_error(request.stream_id, *reply.failure);
    } else {
      session.answer_receipt(request.stream_id, msg.message_id, reply.status, reply.extra_members);
    }
  }
  carry_out(out);
}

void CallService::carry_out(Outbox& out) {
  for (auto& [connection, session_id] : out.indexed) registry_.index(connection, session_id);
  if (mailer_)
    for (auto& send : out.sends) mailer_->deliver(send.connection_id, send.frame, Delivery::kReliable);
  if (missed_)
    for (const auto& call : out.missed) missed_->record(call);
  for (auto& [at, session_id] : out.timers) timers_.arm(at, std::move(session_id));
  if (queue_events_.answered)
    for (const auto& [item, agent] : out.answered_queue_calls) queue_events_.answered(item, agent);
  std::vector<EndedQueueCall> ended;
  {
    std::lock_guard lock(ended_mutex_);
    ended.swap(ended_queue_calls_);
  }
  if (queue_events_.ended)
    for (const auto& call : ended) queue_events_.ended(call.item_id, call.agent_id, call.outcome);
  registry_.users_in_calls().report();
}

// A queue call (A.3 steps 6-8): the session "s-<item_id>" with the customer
// as its caller, INVITING on its first online device, and the agent's
// devices ringing with a server INVITE (purpose customer_support_call).
// The agent's ACCEPT, REJECT, END and the timers then work as for any 1:1
// call; the registry's on_end reports the end to the queue.
CallService::QueueCallStart CallService::start_queue_call(const QueueCall& qc) {
  if (!directory_) return QueueCallStart::kNotStarted;
  const auto customer_devices = directory_->devices(qc.customer_id);
  if (customer_devices.empty()) return QueueCallStart::kCustomerOffline;
  const auto agent_devices = directory_->devices(qc.agent_id);
  if (agent_devices.empty() || qc.customer_id == qc.agent_id) return QueueCallStart::kNotStarted;
  auto call = std::make_unique<CallSession>();
  call->session_id = qc.session_id;
  call->queue_item_id = qc.item_id;
  call->offer.media_types = {"audio"};
  call->offer.codecs["audio"] = {"opus/48000/2"};
  const auto now = Clock::now();
  Participant customer;
  customer.user_id = qc.customer_id;
  customer.role = Role::kCaller;
  customer.state = transition(S::kIdle, E::kSendInvite).next;
  customer.bound = CallDevice{customer_devices.front().device_id, customer_devices.front().connection_id};
  customer.deadline = now + settings_.invite_timeout;
  call->participants.push_back(std::move(customer));
  Participant agent;
  agent.user_id = qc.agent_id;
  agent.role = Role::kCallee;
  agent.state = transition(S::kIdle, E::kReceiveInvite).next;
  agent.deadline = now + settings_.ringing_timeout;
  for (const auto& d : agent_devices) agent.ringing.push_back({d.device_id, d.connection_id});
  call->participants.push_back(std::move(agent));
  FrameBytes invite;
  {
    std::lock_guard identity_lock(timer_identity_mutex_);
    invite = queue_call_invite(timer_identity_, *call, qc.agent_id, qc.customer_id);
  }
  if (registry_.create(std::move(call)) == SessionRegistry::Created::kInUse) return QueueCallStart::kNotStarted;
  Outbox out;
  out.indexed.emplace_back(customer_devices.front().connection_id, qc.session_id);
  for (const auto& d : agent_devices) {
    out.send(d.connection_id, invite);
    out.indexed.emplace_back(d.connection_id, qc.session_id);
  }
  out.timers.emplace_back(now + settings_.ringing_timeout, qc.session_id);
  out.timers.emplace_back(now + settings_.invite_timeout, qc.session_id);
  carry_out(out);
  return QueueCallStart::kStarted;
}


// INVITE (5.3): a new session, forked to every online device of the callee
// (or of every other member of the group), answered RECEIPT ok with
// state "inviting". Nobody online: REJECT unavailable from the server and a
// missed call for each callee.
void CallService::invite(Request& r, Reply& reply, Outbox& out) {
  const auto& msg = r.message;
  auto& session = r.session;
  auto& context = session.context();
  const std::string me(msg.from_user_id);
  std::string group_id(msg.to_group_id);
  if (group_id.empty()) group_id = std::string(msg.payload_string("target_group_id"));
  if (group_id.empty() && msg.to_user_id.empty())
    return reply.fail(ErrorCode::kMalformedPayload, "to.user_id: required (or to.group_id, payload.target_group_id)");
  if (group_id.empty() && msg.to_user_id == me)
    return reply.fail(ErrorCode::kMalformedPayload, "to.user_id: cannot invite yourself");
  auto offer = read_offer(msg.payload);
  if (!offer) return reply.failure.emplace(offer.failure()), void();
  auto tracks = read_tracks(msg.payload, "tracks", offer->media_types);
  if (!tracks) return reply.failure.emplace(tracks.failure()), void();

  // Who is invited, and on which devices (read before any lock).
  std::vector<std::string> invitees;
  if (!group_id.empty()) {
    auto members = group_directory::members(*context.reader, group_id);
    if (members.empty()) return reply.fail(ErrorCode::kGroupNotFound, "to.group_id: no group " + group_id);
    if (std::find(members.begin(), members.end(), me) == members.end())
      return reply.fail(ErrorCode::kForbidden, "to.group_id: you are not a member of " + group_id);
    if (members.size() > kMaxGroupCallParticipants)
      return reply.fail(ErrorCode::kForbidden, "to.group_id: group calls take at most " +
                                                   std::to_string(kMaxGroupCallParticipants) + " members");
    for (auto& m : members)
      if (m != me) invitees.push_back(std::move(m));
  } else {
    const std::string callee(msg.to_user_id);
    if (auto refused = check_direct_message(*context.reader, settings_.rules, me, callee)) {
      reply.failure = std::move(refused);
      return;
    }
    invitees.push_back(callee);
  }

  auto call = std::make_unique<CallSession>();
  call->session_id = std::string(msg.session_id);
  call->group_id = group_id;
  call->offer = std::move(offer.value());
  const auto now = Clock::now();
  Participant caller;
  caller.user_id = me;
  caller.role = Role::kCaller;
  caller.state = transition(S::kIdle, E::kSendInvite).next;
  caller.bound = CallDevice{std::string(msg.from_device_id), session.connection_id()};
  caller.deadline = now + settings_.invite_timeout;
  caller.tracks = std::move(tracks.value());
  call->participants.push_back(std::move(caller));
  auto frame = make_frame_bytes(std::string(r.frame));  // relayed as the caller wrote it
  std::vector<Participant> offline;
  for (const auto& user : invitees) {
    Participant p;
    p.user_id = user;
    p.role = group_id.empty() ? Role::kCallee : Role::kMember;
    p.state = transition(S::kIdle, E::kReceiveInvite).next;
    p.deadline = now + settings_.ringing_timeout;
    for (const auto& device : directory_ ? directory_->devices(user) : std::vector<DeviceAddress>{})
      if (device.connection_id != session.connection_id()) p.ringing.push_back({device.device_id, device.connection_id});
    if (p.ringing.empty()) {
      p.state = S::kTerminated;
      offline.push_back(p);
    }
    call->participants.push_back(std::move(p));
  }
  const bool nobody = std::none_of(call->participants.begin(), call->participants.end(),
                                   [](const Participant& p) { return p.state == S::kRinging; });
  if (nobody) call->participants.front().state = S::kTerminated;
  const std::string session_id = call->session_id;
  // Snapshot what to send before the session is handed to the registry.
  // Each invitee sees the caller's tracks under its own flow ids (wire profile 7).
  std::vector<std::pair<CallDevice, FrameBytes>> ringing;
  const auto& inviter = call->participants.front();
  for (const auto& p : call->participants) {
    if (p.ringing.empty()) continue;
    auto invitee_frame = frame_for_receiver(*call, inviter, p.user_id, "tracks", inviter.tracks, frame);
    for (const auto& d : p.ringing) ringing.emplace_back(d, invitee_frame);
  }
  auto media_types = call->offer.media_types;
  if (registry_.create(std::move(call)) == SessionRegistry::Created::kInUse)
    return reply.fail(ErrorCode::kInvalidActionForState, "session_id: " + session_id + " is already in use");

  std::string extra;
  core::JsonWriter w(extra);
  w.begin_object().member("session_id", session_id).member("state", nobody ? "terminated" : "inviting");
  w.member("ringing_devices", static_cast<std::uint64_t>(ringing.size())).end_object();
  reply.extra_members = std::move(extra);
  for (const auto& p : offline)
    out.missed.push_back(MissedCall{p.user_id, me, session_id, group_id, media_types, "unavailable"});
  if (nobody) {
    // The session ends at once; its id stays used.
    registry_.with_session(session_id, [](CallSession&) { return true; });
    out.send(session.connection_id(),
             server_reject(context.identity, session_id, me, "unavailable", "nobody invited is online",
                           group_id.empty() ? std::string(msg.to_user_id) : group_id));
    return;
  }
  out.indexed.emplace_back(session.connection_id(), session_id);
  for (const auto& [d, invitee_frame] : ringing) {
    out.send(d.connection_id, invitee_frame);
    out.indexed.emplace_back(d.connection_id, session_id);
  }
  out.timers.emplace_back(now + settings_.ringing_timeout, session_id);
  out.timers.emplace_back(now + settings_.invite_timeout, session_id);
}

// ACCEPT (5.4): the first ACCEPT of a callee wins; its other devices get END
// answered_elsewhere. The ACCEPT goes to everyone in the call (in a 1:1
// call, the caller's inviting device); group members are told with SESSION
// participant_joined. A transfer target's ACCEPT ends the transferring
// party's part (END transferred).
void CallService::accept(Request& r, Reply& reply, Outbox& out) {
  const auto& msg = r.message;
  auto& session = r.session;
  auto& identity = session.context().identity;
  const std::string session_id(msg.session_id), me(msg.from_user_id), device(msg.from_device_id);
  auto frame = make_frame_bytes(std::string(r.frame));
  bool found = registry_.with_session(session_id, [&](CallSession& s) {
    auto* p = s.find(me);
    if (!p) return reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id), false;
    auto t = transition(p->state, E::kAccept);
    if (!t.allowed)
      return reply.fail(t.refusal, "session_id: cannot accept a session in state " + std::string(state_name(p->state)) +
                                       (in_call(p->state) && p->bound.device_id != device
                                            ? " (answered on " + p->bound.device_id + ")"
                                            : "")),
             false;
    auto chosen = negotiate(s.offer, msg.payload);
    if (!chosen) return reply.failure.emplace(chosen.failure()), false;
    auto tracks = read_tracks(msg.payload, "tracks", s.offer.media_types);
    if (!tracks) return reply.failure.emplace(tracks.failure()), false;

    p->state = t.next;
    p->chosen = std::move(chosen.value());
    p->tracks = std::move(tracks.value());
    p->bound = CallDevice{device, session.connection_id()};
    for (const auto& d : p->ringing)
      if (d.connection_id != session.connection_id())
        out.send(d.connection_id, server_end(identity, session_id, me, "answered_elsewhere",
                                             "answered on device " + device));
    p->ringing.clear();
    out.indexed.emplace_back(session.connection_id(), session_id);
    if (!s.queue_item_id.empty() && p->role == Role::kCallee && !s.answered) {
      s.answered = true;
      out.answered_queue_calls.emplace_back(s.queue_item_id, me);
    }
    const std::string transferred_by = p->transferred_by;
    for (auto& other : s.participants) {
      if (&other == p) continue;
      if (!transferred_by.empty() && other.user_id == transferred_by) continue;
      if (other.state == S::kInviting || in_call(other.state)) {
        other.state = transition(other.state, E::kPeerAccepted).next;
        out.send(other.bound.connection_id, frame_for_receiver(s, *p, other.user_id, "tracks", p->tracks, frame));
        if (s.group())
          out.send(other.bound.connection_id, session_notice(identity, session_id, other.user_id, "participant_joined", me, device));
      }
    }
    if (!transferred_by.empty()) {
      // Supervisors of the call now supervise the new agent, who is told of them.
      for (auto& o : s.participants) {
        if (o.role != Role::kSupervisor || !in_call(o.state)) continue;
        if (o.whisper_to == transferred_by) o.whisper_to = me;
        out.send(session.connection_id(), supervisor_notice(identity, s, me, "participant_joined", o));
      }
      if (auto* from = s.find(transferred_by); from && live(from->state)) {
        out.send(from->bound.connection_id, server_end(identity, session_id, from->user_id, "transferred",
                                                       "the call was transferred to " + me));
        from->state = S::kTerminated;
      }
      s.transfer_from.clear();
      p->role = Role::kCallee;
    }
    reply.extra_members = accept_receipt_members(s, *p);
    return false;
  });
  if (!found) reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id);
}

// REJECT (5.5): one device declines. `busy`, or the last ringing device of
// the callee declining, declines for the user: the REJECT goes to the
// caller (or the transferring party), other ringing devices get END
// declined_elsewhere. A 1:1 call ends there; a group call goes on.
void CallService::reject(Request& r, Reply& reply, Outbox& out) {
  const auto& msg = r.message;
  auto& session = r.session;
  auto& identity = session.context().identity;
  const std::string session_id(msg.session_id), me(msg.from_user_id);
  const bool busy = msg.payload_string("reason") == "busy";
  auto frame = make_frame_bytes(std::string(r.frame));
  bool found = registry_.with_session(session_id, [&](CallSession& s) {
    auto* p = s.find(me);
    if (!p) return reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id), false;
    auto t = transition(p->state, E::kReject);
    if (!t.allowed)
      return reply.fail(t.refusal, "session_id: cannot reject a session in state " + std::string(state_name(p->state))), false;
    std::erase_if(p->ringing, [&](const CallDevice& d) { return d.connection_id == session.connection_id(); });
    reply.extra_members = receipt_members(s, *p);
    if (!busy && !p->ringing.empty()) return false;  // other devices still ring
    for (const auto& d : p->ringing)
      out.send(d.connection_id, server_end(identity, session_id, me, "declined_elsewhere", "declined on another device"));
    p->ringing.clear();
    p->state = t.next;
    reply.extra_members = receipt_members(s, *p);
    if (p->role == Role::kTransferTarget) {
      if (auto* from = s.find(p->transferred_by); from && in_call(from->state)) out.send(from->bound.connection_id, frame);
      s.transfer_from.clear();
      return false;
    }
    auto* caller = s.caller();
    if (caller && live(caller->state)) out.send(caller->bound.connection_id, frame);
    if (!s.group()) {
      if (caller) caller->state = S::kTerminated;
      return true;
    }
    return settle(s, out, identity);
  });
  if (!found) reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id);
}

// END (5.6) from a participant: a 1:1 call ends for both sides (the END goes
// to the other side as written); in a group call the sender leaves, the
// others get SESSION participant_left, and the session ends with the last.
void CallService::end(Request& r, Reply& reply, Outbox& out) {
  const auto& msg = r.message;
  auto& session = r.session;
  auto& identity = session.context().identity;
  const std::string session_id(msg.session_id), me(msg.from_user_id), device(msg.from_device_id);
  auto frame = make_frame_bytes(std::string(r.frame));
  bool found = registry_.with_session(session_id, [&](CallSession& s) {
    auto* p = s.find(me);
    if (!p) return reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id), false;
    auto t = transition(p->state, E::kEnd);
    if (!t.allowed)
      return reply.fail(t.refusal, "session_id: cannot end a session in state " + std::string(state_name(p->state))), false;
    if (p->state != S::kRinging && p->bound.connection_id != session.connection_id())
      return reply.fail(ErrorCode::kInvalidActionForState, "session_id: the call is on device " + p->bound.device_id), false;
    if (p->role == Role::kSupervisor) {  // a supervisor leaves; the call goes on
      p->state = t.next;
      tell_supervisor_left(s, *p, out, identity);
      reply.extra_members = receipt_members(s, *p);
      return false;
    }
    if (!s.queue_item_id.empty() && p->role == Role::kCaller && !s.answered) s.customer_hung_up = true;
    const bool was_in_call = in_call(p->state);
    // The sender's own devices that still ring stop.
    for (const auto& d : p->ringing)
      if (d.connection_id != session.connection_id()) out.send(d.connection_id, frame);
    p->ringing.clear();
    p->state = t.next;
    reply.extra_members = receipt_members(s, *p);
    if (!s.group()) {
      if (p->role == Role::kTransferTarget) {
        if (auto* from = s.find(p->transferred_by); from && in_call(from->state)) out.send(from->bound.connection_id, frame);
        s.transfer_from.clear();
        return false;
      }
      send_to_others(out, s, *p, frame);
      for (auto& other : s.participants) other.state = S::kTerminated;
      return true;
    }
    if (was_in_call)
      for (auto& other : s.participants)
        if (&other != p && in_call(other.state))
          out.send(other.bound.connection_id, session_notice(identity, session_id, other.user_id, "participant_left", me, device));
    if (p->role == Role::kCaller && std::none_of(s.participants.begin(), s.participants.end(),
                                                [](const Participant& o) { return in_call(o.state); })) {
      // The caller hung up before anyone answered: the invitations are withdrawn.
      send_to_others(out, s, *p, frame);
      for (auto& other : s.participants) other.state = S::kTerminated;
      return true;
    }
    return settle(s, out, identity);
  });
  if (!found) reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id);
}

// SESSION (5.7): mid-call control, checked against the sender's state,
// relayed to the others in the call, answered RECEIPT ok with the resulting
// `state`. Transfer (1:1 only) invites the target on the session's behalf.
void CallService::session_action(Request& r, Reply& reply, Outbox& out) {
  const auto& msg = r.message;
  auto& session = r.session;
  auto& context = session.context();
  auto& identity = context.identity;
  const std::string session_id(msg.session_id), me(msg.from_user_id);
  const std::string action(msg.payload_string("action"));
  if (action == "listen" || action == "whisper" || action == "barge") return supervise(r, reply, out);
  E event = E::kControl;
  if (action == "hold") event = E::kHold;
  else if (action == "resume") event = E::kResume;
  else if (action != "mute" && action != "unmute" && action != "start_screenshare" && action != "stop_screenshare" &&
           action != "start_recording" && action != "stop_recording" && action != "transfer" &&
           action != "select_layer")
    return reply.fail(ErrorCode::kActionNotSupported, "payload.action: " + action + " is not supported for calls");

  // Transfer: who the target is and where it is online, read before the lock.
  std::string target;
  std::vector<CallDevice> target_devices;
  if (action == "transfer") {
    target = std::string(msg.payload_string("transfer_to_user_id"));
    if (target == me) return reply.fail(ErrorCode::kMalformedPayload, "payload.transfer_to_user_id: cannot transfer to yourself");
    if (auto refused = check_direct_message(*context.reader, settings_.rules, me, target)) {
      refused->detail = "payload.transfer_to_user_id: no user " + target;
      if (refused->code != ErrorCode::kUserNotFound) refused->detail = "payload.transfer_to_user_id: not allowed";
      reply.failure = std::move(refused);
      return;
    }
    if (directory_)
      for (const auto& d : directory_->devices(target)) target_devices.push_back({d.device_id, d.connection_id});
  }
  auto frame = make_frame_bytes(std::string(r.frame));
  bool found = registry_.with_session(session_id, [&](CallSession& s) {
    auto* p = s.find(me);
    if (!p) return reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id), false;
    auto t = transition(p->state, event);
    if (!t.allowed)
      return reply.fail(t.refusal, "payload.action: " + action + " is not allowed in state " + std::string(state_name(p->state))), false;
    if (p->bound.connection_id != session.connection_id())
      return reply.fail(ErrorCode::kInvalidActionForState, "session_id: the call is on device " + p->bound.device_id), false;
    if (p->role == Role::kSupervisor && action != "mute" && action != "unmute" && action != "select_layer")
      return reply.fail(ErrorCode::kInvalidActionForState,
                        "payload.action: a supervisor changes its mode (listen, whisper, barge), mutes, unmutes, "
                        "selects layers or leaves with END"),
             false;
    std::string state;
    auto refuse = [&](std::string detail) { reply.fail(ErrorCode::kInvalidActionForState, "payload.action: " + detail); };
    if (action == "mute" || action == "unmute") {
      auto media = lower(msg.payload_string("target_media_type"));
      if (!media.empty() && std::find(s.offer.media_types.begin(), s.offer.media_types.end(), media) == s.offer.media_types.end())
        return reply.fail(ErrorCode::kUnsupportedMediaType, "payload.target_media_type: " + media + " is not a media type of this session"), false;
    } else if (action == "start_screenshare" || action == "stop_screenshare") {
      bool start = action == "start_screenshare";
      if (p->screensharing == start) return refuse(start ? "already screensharing" : "not screensharing"), false;
      p->screensharing = start;
      if (start) state = "screensharing";
    } else if (action == "start_recording" || action == "stop_recording") {
      bool start = action == "start_recording";
      if (s.recording == start) return refuse(start ? "already recording" : "not recording"), false;
      s.recording = start;
      if (start) state = "recording";
    } else if (action == "select_layer") {
      if (auto refused = select_layer(s, *p, msg.payload)) return reply.failure.emplace(std::move(*refused)), false;
    } else if (action == "transfer") {
      if (s.group()) return reply.fail(ErrorCode::kActionNotSupported, "payload.action: transfer is for 1:1 calls"), false;
      if (!s.transfer_from.empty()) return refuse("a transfer is already pending"), false;
      if (auto* q = s.find(target); q && live(q->state))
        return refuse("payload.transfer_to_user_id: " + target + " is already in this session"), false;
      std::string remaining;
      for (const auto& o : s.participants)
        if (&o != p && in_call(o.state) && o.role != Role::kSupervisor) remaining = o.user_id;
      std::erase_if(s.participants, [&](const Participant& o) { return o.user_id == target; });
      p = s.find(me);
      state = "transferring";
      if (target_devices.empty()) {
        out.send(session.connection_id(), server_reject(identity, session_id, me, "unavailable", target + " is not online", target));
        Participant absent;
        absent.user_id = target;
        out.missed.push_back(missed(s, absent, remaining, "unavailable"));
        state = std::string(state_name(p->state));
      } else {
        Participant q;
        q.user_id = target;
        q.role = Role::kTransferTarget;
        q.state = S::kRinging;
        q.ringing = target_devices;
        q.deadline = Clock::now() + settings_.ringing_timeout;
        q.transferred_by = me;
        auto invite_frame = transfer_invite(identity, s, target, remaining, me);
        for (const auto& d : q.ringing) {
          out.send(d.connection_id, invite_frame);
          out.indexed.emplace_back(d.connection_id, session_id);
        }
        out.timers.emplace_back(q.deadline, session_id);
        s.transfer_from = me;
        s.participants.push_back(std::move(q));
        p = s.find(me);
      }
    }
    p->state = t.next;
    if (action != "select_layer")  // meant for the relay, not the others
      for (const auto& o : s.participants)
        if (&o != p && in_call(o.state) && !hidden_from(*p, o)) out.send(o.bound.connection_id, frame);
    if (state.empty()) state = std::string(state_name(p->state));
    std::string extra;
    core::JsonWriter(extra).begin_object().member("session_id", session_id).member("state", state).end_object();
    reply.extra_members = std::move(extra);
    return false;
  });
  if (!found) reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id);
}

// CHANNEL_UPDATE (5.8), MEDIA_UPDATE (5.24), KEY_EXCHANGE (5.23): only
// between participants in the call, to the others (or to `to.user_id`
// alone when it names one), never stored. A MEDIA_UPDATE whose payload
// carries `target_message_id` confirms an earlier one and goes back to the
// device that sent that one.
void CallService::relay(Request& r, Reply& reply, Outbox& out) {
  const auto& msg = r.message;
  auto& session = r.session;
  const std::string session_id(msg.session_id), me(msg.from_user_id), to(msg.to_user_id);
  const bool media_update = msg.type == core::MessageType::kMediaUpdate;
  const std::string confirms(media_update ? msg.payload_string("target_message_id") : std::string_view());
  static const std::vector<std::string> kKnownTypes{"audio", "video", "screenshare", "data"};
  auto frame = make_frame_bytes(std::string(r.frame));
  bool found = registry_.with_session(session_id, [&](CallSession& s) {
    auto* p = s.find(me);
    if (!p) return reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id), false;
    auto t = transition(p->state, E::kControl);
    if (!t.allowed)
      return reply.fail(t.refusal, "session_id: not in the call yet (state " + std::string(state_name(p->state)) + ")"), false;
    if (p->bound.connection_id != session.connection_id())
      return reply.fail(ErrorCode::kInvalidActionForState, "session_id: the call is on device " + p->bound.device_id), false;
    Participant* only = nullptr;
    if (!to.empty() && to != me) {
      only = s.find(to);
      if (!only || !in_call(only->state) || hidden_from(*only, *p))
        return reply.fail(ErrorCode::kSessionNotFound, "to.user_id: " + to + " is not in this session"), false;
      if (hidden_from(*p, *only))
        return reply.fail(ErrorCode::kInvalidActionForState, "to.user_id: " + to + " does not know you are in this call"), false;
    }
    if (media_update) {
      auto added = read_tracks(msg.payload, "add_tracks", kKnownTypes);
      if (!added) return reply.failure.emplace(added.failure()), false;
      if (!confirms.empty()) {
        auto it = std::find_if(s.media_updates.begin(), s.media_updates.end(),
                               [&](const PendingMediaUpdate& m) { return m.message_id == confirms; });
        if (it == s.media_updates.end() || it->origin_connection == session.connection_id())
          return reply.fail(ErrorCode::kMessageNotFound, "payload.target_message_id: no MEDIA_UPDATE of this session awaits confirmation"), false;
        if (const auto* origin = participant_on(s, it->origin_connection); origin && hidden_from(*p, *origin))
          return reply.fail(ErrorCode::kInvalidActionForState, "payload.target_message_id: its sender does not know you are in this call"), false;
        out.send(it->origin_connection, frame);
        s.media_updates.erase(it);
        reply.extra_members = receipt_members(s, *p);
        return false;
      }
      auto tracks = p->tracks;
      simdjson::dom::array removed;
      if (msg.payload["remove_tracks"].get(removed) == simdjson::SUCCESS)
        for (auto id : removed) {
          std::string_view track;
          if (id.get(track) == simdjson::SUCCESS)
            std::erase_if(tracks, [&](const Track& x) { return x.track_id == track; });
        }
      for (const auto& track : added.value()) {
        std::erase_if(tracks, [&](const Track& x) { return x.track_id == track.track_id; });
        tracks.push_back(track);
      }
      if (tracks.size() > kMaxTracks)
        return reply.fail(ErrorCode::kMalformedPayload, "payload.add_tracks: more than " + std::to_string(kMaxTracks) + " tracks in all"), false;
      // Removed and replaced tracks free their flow ids at every receiver.
      for (const auto& old : p->tracks) {
        bool kept = std::any_of(tracks.begin(), tracks.end(), [&](const Track& now) {
          return now.track_id == old.track_id && now.flow_id == old.flow_id;
        });
        if (!kept) s.flows.release_track(me, old.track_id);
      }
      p->tracks = std::move(tracks);
      for (const auto& o : s.participants)
        if (&o != p && in_call(o.state) && (!only || &o == only) && !hidden_from(*p, o))
          out.send(o.bound.connection_id, frame_for_receiver(s, *p, o.user_id, "add_tracks", added.value(), frame));
      s.media_updates.push_back({std::string(msg.message_id), session.connection_id()});
      while (s.media_updates.size() > kMaxPendingMediaUpdates) s.media_updates.pop_front();
      reply.extra_members = receipt_members(s, *p);
      return false;
    }
    for (const auto& o : s.participants)
      if (&o != p && in_call(o.state) && (!only || &o == only) && !hidden_from(*p, o)) out.send(o.bound.connection_id, frame);
    reply.extra_members = receipt_members(s, *p);
    return false;
  });
  if (!found) reply.fail(ErrorCode::kSessionNotFound, "session_id: no session " + session_id);
}

// An ERROR from a client that refuses a relayed MEDIA_UPDATE (5.24) goes back
// to the device that sent it; any other ERROR from a client is dropped.
void CallService::relay_error(Request& r, Outbox& out) {
  const auto& msg = r.message;
  const std::string session_id(msg.session_id), me(msg.from_user_id);
  const std::string target(msg.payload_string("target_message_id"));
  if (session_id.empty() || target.empty()) return;
  auto frame = make_frame_bytes(std::string(r.frame));
  registry_.with_session(session_id, [&](CallSession& s) {
    auto* p = s.find(me);
    if (!p || !in_call(p->state) || p->bound.connection_id != r.session.connection_id()) return false;
    auto it = std::find_if(s.media_updates.begin(), s.media_updates.end(),
                           [&](const PendingMediaUpdate& m) { return m.message_id == target; });
    if (it == s.media_updates.end() || it->origin_connection == r.session.connection_id()) return false;
    if (const auto* origin = participant_on(s, it->origin_connection); origin && hidden_from(*p, *origin)) return false;
    out.send(it->origin_connection, frame);
    s.media_updates.erase(it);
    return false;
  });
}

// The timers (6.2): a ringing timer that ran out is a missed call (END
// timeout to the callee's devices); in a 1:1 call it ends the session (END
// timeout to the caller). The INVITE timer ends an unanswered session.
void CallService::expire(const std::string& session_id) {
  Outbox out;
  {
    std::lock_guard identity_lock(timer_identity_mutex_);
    auto& identity = timer_identity_;
    registry_.with_session(session_id, [&](CallSession& s) {
      const auto now = Clock::now();
      const std::string caller = caller_of(s);
      for (auto& p : s.participants) {
        if (p.state != S::kRinging || p.deadline > now) continue;
        for (const auto& d : p.ringing)
          out.send(d.connection_id, server_end(identity, session_id, p.user_id, "timeout", "not answered in time"));
        p.ringing.clear();
        p.state = transition(p.state, E::kTimerExpired).next;
        if (p.role == Role::kTransferTarget) {
          if (auto* from = s.find(p.transferred_by); from && in_call(from->state))
            out.send(from->bound.connection_id,
                     server_reject(identity, session_id, from->user_id, "timeout", "the transfer was not answered", p.user_id));
          out.missed.push_back(missed(s, p, caller, "timeout"));
          s.transfer_from.clear();
          continue;
        }
        out.missed.push_back(missed(s, p, caller, "timeout"));
        if (!s.group()) {
          end_for_everyone(s, out, identity, "timeout", "not answered in time");
          return true;
        }
      }
      auto* c = s.caller();
      // The INVITE timer, or a group call whose every invitation ran out.
      const bool unanswered = c && c->state == S::kInviting && !anyone_ringing(s) &&
                              std::none_of(s.participants.begin(), s.participants.end(),
                                           [](const Participant& p) { return in_call(p.state); });
      if (c && c->state == S::kInviting && (c->deadline <= now || unanswered)) {
        for (auto& p : s.participants)
          if (p.state == S::kRinging) out.missed.push_back(missed(s, p, caller, "timeout"));
        end_for_everyone(s, out, identity, "timeout", "not answered in time");
        return true;
      }
      return s.group() ? settle(s, out, identity) : false;
    });
  }
  carry_out(out);
}

// A closing connection leaves its sessions: a ringing device stops ringing
// (the last one is as good as REJECT unavailable); a device in a call ends
// a 1:1 call (END connection_lost to the other side) or leaves a group call.
void CallService::on_unregistered(ClientSession& session) {
  const auto connection = session.connection_id();
  auto& identity = session.context().identity;
  Outbox out;
  for (const auto& session_id : registry_.sessions_of(connection)) {
    registry_.with_session(session_id, [&](CallSession& s) {
      const std::string caller = caller_of(s);
      for (auto& p : s.participants) {
        if (p.state == S::kRinging) {
          auto before = p.ringing.size();
          std::erase_if(p.ringing, [&](const CallDevice& d) { return d.connection_id == connection; });
          if (p.ringing.size() == before || !p.ringing.empty()) continue;
          p.state = S::kTerminated;
          if (p.role == Role::kTransferTarget) {
            if (auto* from = s.find(p.transferred_by); from && in_call(from->state))
              out.send(from->bound.connection_id,
                       server_reject(identity, session_id, from->user_id, "unavailable", "the connection was lost", p.user_id));
            s.transfer_from.clear();
            continue;
          }
          auto* c = s.caller();
          if (c && live(c->state))
            out.send(c->bound.connection_id,
                     server_reject(identity, session_id, c->user_id, "unavailable", "the connection was lost", p.user_id));
          if (!s.group()) {
            end_for_everyone(s, out, identity, "connection_lost", "the connection was lost");
            return true;
          }
          continue;
        }
        if (!live(p.state) || p.bound.connection_id != connection) continue;
        p.state = S::kTerminated;
        if (p.role == Role::kSupervisor) {  // a supervisor leaves; the call goes on
          tell_supervisor_left(s, p, out, identity);
          continue;
        }
        if (!s.group()) {
          end_for_everyone(s, out, identity, "connection_lost", p.user_id + " lost its connection");
          return true;
        }
        for (auto& o : s.participants)
          if (in_call(o.state))
            out.send(o.bound.connection_id, session_notice(identity, session_id, o.user_id, "participant_left", p.user_id, p.bound.device_id));
      }
      if (!s.group()) return false;
      if (std::none_of(s.participants.begin(), s.participants.end(), [](const Participant& o) { return in_call(o.state); }) &&
          std::none_of(s.participants.begin(), s.participants.end(), [](const Participant& o) { return o.state == S::kInviting; })) {
        end_for_everyone(s, out, identity, "hangup", "everybody left");
        return true;
      }
      return settle(s, out, identity);
    });
  }
  registry_.forget_connection(connection);
  carry_out(out);
}

}  // namespace qsip::server::calls
