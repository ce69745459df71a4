// [audit] retention_days: at start and then daily, the records older than
// the retention are pruned (prune_audit_events) in one writer task.
#pragma once

#include <cstdint>

#include "server/dispatch/periodic_thread.hpp"
#include "store/sqlite/group_commit_writer.hpp"

namespace qsip::server {

class AuditRetention {
 public:
  AuditRetention(store::GroupCommitWriter& writer, std::uint32_t retention_days)
      : writer_(writer), retention_days_(retention_days) {}
  // Does nothing when retention_days is 0 (kept forever).
  void start();
  void stop() { thread_.stop(); }

 private:
  store::GroupCommitWriter& writer_;
  std::uint32_t retention_days_;
  PeriodicThread thread_;
};

}  // namespace qsip::server
