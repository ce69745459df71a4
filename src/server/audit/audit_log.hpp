// Where modules record audit events: each event becomes an append task on
// the store's one writer, so recording never blocks a worker on the disk
// and rows are chained in commit order. The IP address is pseudonymized
// here, before anything is written ([audit] ip_addresses).
#pragma once

#include "server/audit/audit_event.hpp"
#include "server/audit/audit_settings.hpp"
#include "store/sqlite/group_commit_writer.hpp"

namespace qsip::server {

class AuditLog {
 public:
  explicit AuditLog(store::GroupCommitWriter& writer, AuditSettings settings = {})
      : writer_(writer), settings_(std::move(settings)) {}

  // Queues the event. False when the writer's queue is full and the event
  // was not recorded (the store is already failing its callers then).
  bool record(AuditEvent event);

  // The same, with `done` run on the writer thread after the commit (null
  // error) or with the failure: for answers that must follow the record.
  bool record(AuditEvent event, store::GroupCommitWriter::Completion done);

  const AuditSettings& settings() const { return settings_; }

 private:
  store::GroupCommitWriter& writer_;
  AuditSettings settings_;
};

// What every writer does to an event before appending it (also the
// operator commands, which append directly): the time stamped when it is
// 0, the IP address pseudonymized.
void prepare_audit_event(AuditEvent& event, const AuditSettings& settings);

}  // namespace qsip::server
