// One live call as the server keeps it (docs/calls.md): who takes part, in
// which state (call_state.hpp), on which device, what was offered and chosen.
// Only ever touched under its registry shard's lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "server/calls/call_state.hpp"
#include "server/calls/media_offer.hpp"
#include "server/media/flow_assignments.hpp"

namespace qsip::server::calls {

using Clock = std::chrono::steady_clock;

struct CallDevice {
  std::string device_id;
  std::uint64_t connection_id = 0;
};

enum class Role { kCaller, kCallee, kMember, kTransferTarget };

// How a participant's media goes through the relay (docs/calls.md "Media
// relay"; supervisors, docs/call-centre.md). kFull: heard by and hears every
// other participant in the call (also a barging supervisor). kListen: hears
// everyone, heard by nobody. kWhisper: hears everyone, heard only by
// `whisper_to`.
enum class MediaMode { kFull, kListen, kWhisper };

struct Participant {
  std::string user_id;
  Role role = Role::kCallee;
  ParticipantState state = ParticipantState::kIdle;
  CallDevice bound;                  // the device in the call (the caller's inviting one, the accepting one)
  std::vector<CallDevice> ringing;   // RINGING: the devices the INVITE was forked to
  Clock::time_point deadline{};      // INVITING: INVITE timer; RINGING: ringing timer
  bool screensharing = false;
  std::vector<Track> tracks;         // announced in INVITE/ACCEPT/MEDIA_UPDATE (wire profile 7)
  CodecMap chosen;                   // what its ACCEPT selected
  std::string transferred_by;        // kTransferTarget: who transfers the call to it
  MediaMode media_mode = MediaMode::kFull;
  std::string whisper_to;            // kWhisper: the one user who hears this participant
};

// A MEDIA_UPDATE waiting for its recipient's confirming MEDIA_UPDATE or ERROR (5.24).
struct PendingMediaUpdate {
  std::string message_id;
  std::uint64_t origin_connection = 0;
};

struct CallSession {
  std::string session_id;
  std::string group_id;  // group calls (to.group_id or payload.target_group_id)
  Offer offer;
  std::vector<Participant> participants;
  bool recording = false;
  std::string transfer_from;  // the user whose transfer is pending (its target rings)
  std::deque<PendingMediaUpdate> media_updates;  // bounded: kMaxPendingMediaUpdates
  // A queue call (CallService::start_queue_call): the queue item it serves,
  // and whether the agent answered; reported to the queue when it ends.
  std::string queue_item_id;
  bool answered = false;
  // The media relay (docs/calls.md "Media relay"): the flow id each
  // receiver sees for each sender's track, and the simulcast layers
  // receivers asked for (SESSION select_layer): (receiver, sender, track) -> rid.
  media::FlowAssignments flows;
  std::map<std::tuple<std::string, std::string, std::string>, std::string> layer_requests;

  bool group() const { return !group_id.empty(); }
  Participant* find(std::string_view user_id) {
    for (auto& p : participants)
      if (p.user_id == user_id) return &p;
    return nullptr;
  }
  Participant* caller() {
    for (auto& p : participants)
      if (p.role == Role::kCaller) return &p;
    return nullptr;
  }
};

inline constexpr std::size_t kMaxPendingMediaUpdates = 32;
inline constexpr std::size_t kMaxGroupCallParticipants = 64;

}  // namespace qsip::server::calls
