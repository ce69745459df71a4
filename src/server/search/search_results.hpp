// The JSON of one SEARCH result of each kind, as the answer's `results`
// array holds it (docs/search.md "Answer").
#pragma once

#include <string>

#include "server/search/group_membership.hpp"
#include "server/search/message_search.hpp"
#include "server/search/user_search.hpp"

namespace qsip::server {

// message_id, from, to, timestamp (when the server stored it), thread_id
// when there is one, snippet and, with `with_payload`, the payload.
std::string message_result_json(const MessageHit& hit, bool with_payload);
std::string user_result_json(const UserHit& hit);
std::string group_result_json(const GroupHit& hit);

}  // namespace qsip::server
