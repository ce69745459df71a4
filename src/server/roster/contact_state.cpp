#include "server/roster/contact_state.hpp"

namespace qsip::server {

ContactState contact_state(RosterStore& store, const std::string& user_id, const std::string& contact_id) {
  ContactState s;
  auto out = store.subscription(user_id, contact_id);
  auto in = store.subscription(contact_id, user_id);
  bool to = out == SubscriptionState::kApproved;
  bool from = in == SubscriptionState::kApproved;
  s.subscription = to && from ? "both" : to ? "to" : from ? "from" : "none";
  s.ask = out == SubscriptionState::kPending;
  s.pending_in = in == SubscriptionState::kPending;
  s.blocked = store.is_blocked(contact_id, user_id);
  return s;
}

void write_contact_state(core::JsonWriter& w, const ContactState& state) {
  w.member("subscription", state.subscription)
      .member("ask", state.ask)
      .member("pending_in", state.pending_in)
      .member("blocked", state.blocked);
}

}  // namespace qsip::server
