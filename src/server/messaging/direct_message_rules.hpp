// Who may send a direct message to whom (docs/messaging.md "Delivery
// rules"): the recipient must exist (4041), must not have blocked the sender
// (4033), and with `[roster] require_contact_for_direct_messages` the two
// must be contacts (4032). Messages to oneself are always allowed.
#pragma once

#include <optional>
#include <string>

#include "core/failure.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

struct DirectMessageRules {
  bool require_contacts = false;
};

// The refusal, or nothing when `sender` may write to `recipient`. Reads on
// `reader` (the worker's connection).
std::optional<core::Failure> check_direct_message(store::SqliteDatabase& reader, const DirectMessageRules& rules,
                                                  const std::string& sender, const std::string& recipient);

}  // namespace qsip::server
