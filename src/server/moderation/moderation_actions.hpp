// The MODERATION actions but delete_message as one decision over the store
// (docs/moderation.md): look the group, the actor's and the target's roles
// up, apply moderation_refusal(), check the state (unmute of someone not
// muted ...), write the sanction and its effects (a ban or kick removes the
// member, a suspension revokes the account's tokens), and say what to
// answer and whom to tell what. Runs inside one writer task, so a check and
// its write cannot interleave with another worker's change. No I/O here:
// the handler sends what this decides and closes suspended connections.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error_registry.hpp"
#include "server/moderation/moderation_request.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

// A payload of `type` (MODERATION or GROUP) to every device of each recipient.
struct ModerationNotice {
  std::vector<std::string> recipients;
  std::string type;
  std::string payload_json;
};

struct ModerationOutcome {
  std::optional<core::ErrorCode> error;  // set: nothing was written
  std::string detail;                    // names the field, for the ERROR
  std::string receipt_json;              // the RECEIPT's extra members
  std::vector<ModerationNotice> notices;
  std::string suspended_user;            // its live connections are closed (0x13)
  std::int64_t warning_id = 0;           // warn_user: marked delivered once a device has it
};

// `server_admin`: the actor is named in `[auth] server_admins`.
ModerationOutcome apply_moderation_action(store::SqliteDatabase& db, const ModerationRequest& request, bool server_admin);

}  // namespace qsip::server
