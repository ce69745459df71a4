#include "server/messaging/direct_message_rules.hpp"

#include "server/accounts/account_store.hpp"
#include "server/roster/roster_queries.hpp"

namespace qsip::server {

std::optional<core::Failure> check_direct_message(store::SqliteDatabase& reader, const DirectMessageRules& rules,
                                                  const std::string& sender, const std::string& recipient) {
  using core::ErrorCode;
  if (recipient == sender) return std::nullopt;
  reader.end_open_reads();
  if (!AccountStore(reader).user(recipient))
    return core::Failure{ErrorCode::kUserNotFound, "to.user_id: no user " + recipient, {}, {}};
  if (is_blocked(reader, sender, recipient))
    return core::Failure{ErrorCode::kTargetUserBlocked, "to.user_id: " + recipient + " has blocked you", {}, {}};
  if (rules.require_contacts && !are_contacts(reader, sender, recipient))
    return core::Failure{ErrorCode::kUserNotOnRoster, "to.user_id: " + recipient + " is not one of your contacts", {}, {}};
  return std::nullopt;
}

}  // namespace qsip::server
