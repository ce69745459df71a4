#include "server/moderation/sanction_expiry.hpp"

#include <spdlog/spdlog.h>

#include <vector>

#include "server/accounts/account_store.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/moderation/moderation_notice.hpp"
#include "server/moderation/sanction_store.hpp"
#include "server/roster/server_message.hpp"
#include "server/routing/user_delivery.hpp"

namespace qsip::server {

namespace {

constexpr std::size_t kBatch = 256;

}  // namespace

SanctionExpiry::SanctionExpiry(std::string database_path, store::GroupCommitWriter& writer, ServerIdentity identity,
                               std::chrono::milliseconds sweep_interval)
    : path_(std::move(database_path)), writer_(writer), identity_(std::move(identity)), interval_(sweep_interval) {}

SanctionExpiry::~SanctionExpiry() { stop(); }

void SanctionExpiry::start(const DeviceDirectory& directory, ConnectionMailer& mailer) {
  directory_ = &directory;
  mailer_ = &mailer;
  reader_ = std::make_unique<store::SqliteDatabase>(path_, store::SyncPolicy::kNormal, /*read_only=*/true);
  thread_.start(interval_, [this]() -> std::int64_t {
    try {
      return sweep();
    } catch (const std::exception& e) {
      // A busy or failing store: look again in a second rather than spin.
      spdlog::warn("moderation expiry: {}", e.what());
      return unix_now_ms() + 1000;
    }
  });
}

void SanctionExpiry::schedule(std::int64_t at_ms) { thread_.wake_at(at_ms); }

std::int64_t SanctionExpiry::sweep() {
  std::vector<Sanction> lifted;
  std::int64_t next = 0;
  const std::int64_t now = unix_now_ms();
  // Check and lift in one writer task: a sanction replaced or lifted by hand
  // in the meantime is not lifted again.
  writer_.run_sync([&](store::SqliteDatabase& db) {
    SanctionStore sanctions(db);
    lifted = sanctions.due(now, kBatch);
    for (const auto& s : lifted) {
      sanctions.mark_lifted(s.id, now);
      if (s.kind != SanctionKind::kSuspension) continue;
      // Only the suspension this sanction set: one the operator changed
      // since (`qsipd user suspend`) is the operator's to end.
      AccountStore accounts(db);
      auto user = accounts.user(s.user_id);
      if (user && user->suspended && user->suspended_until == suspension_until_seconds(s.expires_at_ms))
        accounts.set_suspended(s.user_id, false);
    }
    next = lifted.size() == kBatch ? now : sanctions.next_expiry().value_or(0);
  });
  for (const auto& s : lifted) {
    if (s.kind == SanctionKind::kSuspension) continue;  // its connections were closed: nobody to tell
    const auto action = s.kind == SanctionKind::kMute ? ModerationAction::kUnmute : ModerationAction::kUnban;
    auto payload = moderation_notice_payload({action, s.user_id, s.group_id, "expired", 0, {}});
    send_to_user(*directory_, *mailer_, s.user_id, server_message_frame(identity_, "MODERATION", s.user_id, payload),
                 Delivery::kReliable);
  }
  return next;
}

}  // namespace qsip::server
