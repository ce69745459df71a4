#include "server/roster/roster_actions.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

void fail(RosterOutcome& o, ErrorCode code, std::string detail) {
  o.error = code;
  o.detail = std::move(detail);
}

// Drops the watcher -> watched subscription, recording an approved one that ends.
void drop(RosterStore& store, RosterOutcome& o, const std::string& watcher, const std::string& watched) {
  auto before = store.subscription(watcher, watched);
  if (!before) return;
  store.remove_subscription(watcher, watched);
  if (*before == SubscriptionState::kApproved) o.ended.push_back({watcher, watched});
}

void add(RosterStore& store, const RosterRequest& r, RosterOutcome& o) {
  const auto& user = r.user_id;
  const auto& contact = r.contact_id;
  if (!r.contact_has_account) return fail(o, ErrorCode::kUserNotFound, "payload.contact_id: no user " + contact);
  // The blocked user learns only that it cannot add (draft 9.2: 4033).
  if (store.is_blocked(user, contact)) return fail(o, ErrorCode::kTargetUserBlocked, "payload.contact_id: " + contact + " blocked you");
  if (store.is_blocked(contact, user))
    return fail(o, ErrorCode::kInvalidActionForState, "payload.contact_id: you blocked " + contact + "; unblock first");
  store.upsert_contact({user, contact, r.contact_info_json, r.now, r.now});
  // Asking again while pending re-sends the request (the contact may have
  // missed it); an approved subscription is left as it is.
  if (store.subscription(user, contact) != SubscriptionState::kApproved) {
    store.set_subscription(user, contact, SubscriptionState::kPending, r.now);
    o.notices.push_back({contact, "subscription_request", user});
  }
}

void approve(RosterStore& store, const RosterRequest& r, RosterOutcome& o) {
  const auto& approver = r.user_id;
  const auto& requester = r.contact_id;
  auto state = store.subscription(requester, approver);
  if (state == SubscriptionState::kApproved) return;  // already: nothing to do
  if (!state)
    return fail(o, ErrorCode::kInvalidActionForState, "payload.contact_id: no pending subscription request from " + requester);
  store.set_subscription(requester, approver, SubscriptionState::kApproved, r.now);
  // As RFC 6121 3.1.5: the approver's roster gains the requester (if absent).
  if (!store.contact(approver, requester)) store.upsert_contact({approver, requester, r.contact_info_json, r.now, r.now});
  o.notices.push_back({requester, "subscription_approved", approver});
  o.approved.push_back({requester, approver});
}

// Refuses a pending request, or revokes an approved one (RFC 6121 "unsubscribed").
void deny(RosterStore& store, const RosterRequest& r, RosterOutcome& o) {
  const auto& denier = r.user_id;
  const auto& requester = r.contact_id;
  if (!store.subscription(requester, denier))
    return fail(o, ErrorCode::kInvalidActionForState,
                "payload.contact_id: " + requester + " has no subscription request or subscription to deny");
  drop(store, o, requester, denier);
  o.notices.push_back({requester, "deny", denier});
}

void block(RosterStore& store, const RosterRequest& r, RosterOutcome& o) {
  store.block(r.user_id, r.contact_id, r.now);
  // Nothing flows either way while blocked.
  drop(store, o, r.contact_id, r.user_id);
  drop(store, o, r.user_id, r.contact_id);
}

// RFC 6121 2.5: removing a contact cancels the subscriptions both ways.
void remove(RosterStore& store, const RosterRequest& r, RosterOutcome& o) {
  if (!store.remove_contact(r.user_id, r.contact_id))
    return fail(o, ErrorCode::kUserNotOnRoster, "payload.contact_id: " + r.contact_id + " is not on your roster");
  drop(store, o, r.user_id, r.contact_id);
  drop(store, o, r.contact_id, r.user_id);
}

}  // namespace

RosterOutcome apply_roster_action(RosterStore& store, const RosterRequest& r) {
  RosterOutcome o;
  if (r.contact_id == r.user_id) {
    fail(o, ErrorCode::kMalformedPayload, "payload.contact_id: cannot be yourself");
    return o;
  }
  if (r.action == "add") {
    add(store, r, o);
  } else if (r.action == "update") {
    if (!store.update_contact(r.user_id, r.contact_id, r.contact_info_json, r.now))
      fail(o, ErrorCode::kUserNotOnRoster, "payload.contact_id: " + r.contact_id + " is not on your roster");
  } else if (r.action == "remove") {
    remove(store, r, o);
  } else if (r.action == "approve") {
    approve(store, r, o);
  } else if (r.action == "deny") {
    deny(store, r, o);
  } else if (r.action == "block") {
    block(store, r, o);
  } else if (r.action == "unblock") {
    if (!store.unblock(r.user_id, r.contact_id))
      fail(o, ErrorCode::kInvalidActionForState, "payload.contact_id: " + r.contact_id + " is not blocked");
  } else {
    fail(o, ErrorCode::kActionNotSupported, "payload.action: " + r.action + " is sent by the server, not to it");
  }
  if (!o.error) o.state = contact_state(store, r.user_id, r.contact_id);
  return o;
}

}  // namespace qsip::server
