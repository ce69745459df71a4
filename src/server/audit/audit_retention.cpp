#include "server/audit/audit_retention.hpp"

#include <spdlog/spdlog.h>

#include "server/audit/audit_chain.hpp"
#include "server/dispatch/iso_time.hpp"

namespace qsip::server {

void AuditRetention::start() {
  if (retention_days_ == 0) return;
  const std::int64_t keep_ms = static_cast<std::int64_t>(retention_days_) * 86'400'000;
  thread_.start(std::chrono::hours(24), [this, keep_ms] {
    const std::int64_t cutoff = unix_now_ms() - keep_ms;
    writer_.submit([cutoff](store::SqliteDatabase& db) {
      if (auto n = prune_audit_events(db, cutoff))
        spdlog::info("audit: pruned {} records older than the retention", n);
    });
  });
}

}  // namespace qsip::server
