// How one user stands with one other user, in RFC 6121's words: the
// subscription ("none", "to": the user sees the contact's presence, "from":
// the contact sees the user's, "both"), whether the user's own request is
// pending ("ask"), and whether the user has blocked the contact. Used in
// RECEIPTs, ROSTER list answers and the ROSTER changes pushed to devices.
#pragma once

#include <string>
#include <string_view>

#include "core/json_writer.hpp"
#include "server/roster/roster_store.hpp"

namespace qsip::server {

struct ContactState {
  std::string_view subscription = "none";
  bool ask = false;      // the user asked to see the contact; not answered yet
  bool pending_in = false;  // the contact asked to see the user; not answered yet
  bool blocked = false;  // the user has blocked the contact
};

ContactState contact_state(RosterStore& store, const std::string& user_id, const std::string& contact_id);

// Writes the state's members ("subscription", "ask", "pending_in", "blocked")
// into the object `w` is writing.
void write_contact_state(core::JsonWriter& w, const ContactState& state);

}  // namespace qsip::server
