// The ROSTER actions that change state (add, update, remove, approve, deny,
// block, unblock) as one decision over the store: check, write, and say what
// must be told to whom. Run on the writer thread inside one task, so that a
// check and its write cannot interleave with another worker's change.
// No I/O here: the handler turns the outcome into answers and messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error_registry.hpp"
#include "server/roster/contact_state.hpp"
#include "server/roster/roster_store.hpp"

namespace qsip::server {

struct RosterRequest {
  std::string user_id;     // who asks
  std::string action;      // add, update, remove, approve, deny, block, unblock
  std::string contact_id;
  std::string contact_info_json = "{}";
  std::int64_t now = 0;
  bool contact_has_account = true;  // add: the server knows an account contact_id
};

// A server-originated ROSTER for another user's devices.
struct RosterNotice {
  std::string to_user;
  std::string action;      // subscription_request, subscription_approved, deny
  std::string contact_id;  // the user it is about
};

// watcher -> watched
struct SubscriptionEdge {
  std::string watcher;
  std::string watched;
};

struct RosterOutcome {
  std::optional<core::ErrorCode> error;  // set: nothing was written
  std::string detail;                    // names the field, for the ERROR
  ContactState state;                    // the user's standing with the contact afterwards
  std::vector<RosterNotice> notices;
  std::vector<SubscriptionEdge> approved;  // watcher may now see watched's presence
  std::vector<SubscriptionEdge> ended;     // watcher may no longer see watched's presence
};

RosterOutcome apply_roster_action(RosterStore& store, const RosterRequest& request);

}  // namespace qsip::server
