// SEARCH (draft 5.28; docs/search.md): "message" searches the messages the
// sender may read (message_search.hpp), "user" the accounts by id and
// display name as the sender may see them (user_search.hpp), "group" the
// public groups (GroupMembership; none until the groups module arrives).
// Answered with a SEARCH message from the server carrying the results
// (wire profile 4); refusals are ERROR 4001 naming the field. Reads run on
// the worker's own connection, synchronously: a search is one indexed FTS5
// query or one bounded scan of the accounts. One handler serves every
// worker: it keeps no state of its own.
#pragma once

#include <cstdint>
#include <functional>

#include "server/dispatch/handler.hpp"
#include "server/profile/contact_check.hpp"
#include "server/search/group_membership.hpp"

namespace qsip::server {

class SearchHandler final : public Handler {
 public:
  // `now_seconds` (Unix time, for suspensions that end) defaults to the clock.
  SearchHandler(GroupMembership& groups, ContactCheck& contacts, std::function<std::int64_t()> now_seconds = {});
  void handle(Request& request) override;

 private:
  GroupMembership& groups_;
  ContactCheck& contacts_;
  std::function<std::int64_t()> now_seconds_;
};

}  // namespace qsip::server
