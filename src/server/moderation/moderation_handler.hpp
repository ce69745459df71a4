// MODERATION (draft 5.20; docs/moderation.md). Every action but
// delete_message runs as one check-and-write task on the store's writer
// (moderation_actions.hpp) and is answered RECEIPT `ok` once committed;
// then the notices go to every device of the users concerned (the
// requesting connection excepted) and a suspended account's connections are
// closed by the RevocationWatcher, as for `qsipd user suspend`, once the
// user's devices have had the notice. delete_message finds the message,
// authorizes on the reader and deletes it through the messaging module's
// one delete path (message_deletion.hpp), answered once durable. Every
// action, allowed or refused, is an audit event.
#pragma once

#include <string>
#include <vector>

#include "server/audit/audit_log.hpp"
#include "server/dispatch/handler.hpp"
#include "server/messaging/message_delivery.hpp"
#include "server/moderation/moderation_request.hpp"
#include "server/moderation/sanction_expiry.hpp"

namespace qsip::server {

// event_type of the audit events moderation records (AuditEvent).
inline constexpr const char* kAuditModerationAction = "moderation_action";

struct ModerationSettings {
  std::vector<std::string> server_admins;  // `[auth] server_admins`
};

class ModerationHandler final : public Handler {
 public:
  // `audit` and `expiry` may be null (tests): nothing is recorded, expiry
  // is left to the sweep.
  ModerationHandler(ModerationSettings settings, MessageDelivery& delivery, AuditLog* audit, SanctionExpiry* expiry)
      : settings_(std::move(settings)), delivery_(delivery), audit_(audit), expiry_(expiry) {}
  void handle(Request& request) override;

 private:
  bool is_server_admin(const std::string& user_id) const;
  void delete_message(Request& request, const ModerationRequest& moderation, bool server_admin);

  ModerationSettings settings_;
  MessageDelivery& delivery_;
  AuditLog* audit_;
  SanctionExpiry* expiry_;
};

}  // namespace qsip::server
