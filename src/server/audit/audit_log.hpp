// Where modules record audit events: each event becomes an append task on
// the store's one writer, so recording never blocks a worker on the disk
// and rows are chained in commit order.
#pragma once

#include "server/audit/audit_event.hpp"
#include "store/sqlite/group_commit_writer.hpp"

namespace qsip::server {

class AuditLog {
 public:
  explicit AuditLog(store::GroupCommitWriter& writer) : writer_(writer) {}

  // Queues the event. False when the writer's queue is full and the event
  // was not recorded (the store is already failing its callers then).
  bool record(AuditEvent event);

 private:
  store::GroupCommitWriter& writer_;
};

}  // namespace qsip::server
