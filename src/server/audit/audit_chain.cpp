#include "server/audit/audit_chain.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "server/audit/audit_query.hpp"
#include "server/audit/audit_store.hpp"

namespace qsip::server {

namespace {

AuditVerification damaged(std::int64_t records, std::int64_t id, std::string damage, std::string message) {
  return AuditVerification{false, records, id, std::move(damage), std::move(message)};
}

// The anchor an audit_pruned record names in its details.
bool names_anchor(const std::string& details, std::int64_t anchor_id, const std::string& anchor_hash) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(details).get(root)) return false;
  std::int64_t id = 0;
  std::string_view hash;
  if (root["anchor_id"].get(id) || root["anchor_hash"].get(hash)) return false;
  return id == anchor_id && hash == anchor_hash;
}

}  // namespace

AuditVerification verify_audit_chain(store::SqliteDatabase& db) {
  // One read transaction: the chain state and the rows from one snapshot,
  // whatever qsipd appends meanwhile.
  db.exec("BEGIN");
  struct EndRead {
    store::SqliteDatabase& db;
    ~EndRead() {
      try { db.exec("COMMIT"); } catch (...) {}
    }
  } end_read{db};

  const AuditChainState chain = read_audit_chain_state(db);
  std::int64_t expected_id = chain.anchor_id + 1;
  std::string expected_prev = chain.anchor_hash;
  std::int64_t records = 0;
  std::int64_t last_pruned_id = 0;
  std::string last_pruned_details;

  auto q = db.prepare(std::string("SELECT ") + kAuditEventColumns + " FROM audit_events ORDER BY id");
  while (q.step()) {
    const StoredAuditEvent row = read_stored_audit_event(q);
    if (row.id < expected_id)
      return damaged(records, row.id, "inserted",
                     fmt::format("record {}: inserted (it lies at or before the pruning anchor, record {})", row.id,
                                 chain.anchor_id));
    if (row.id > expected_id)
      return damaged(records, expected_id, "removed",
                     row.id == expected_id + 1
                         ? fmt::format("record {}: removed (a gap in the ids: the next record is {})", expected_id,
                                       row.id)
                         : fmt::format("record {}: removed (a gap in the ids: records {} to {} are missing)",
                                       expected_id, expected_id, row.id - 1));
    if (row.id > chain.head_id)
      return damaged(records, row.id, "inserted",
                     fmt::format("record {}: inserted (it lies beyond the chain's head, record {})", row.id,
                                 chain.head_id));
    std::string hash;
    if (row.hash_version == 2)
      hash = audit_row_hash_v2(row.id, row.prev_hash, row.event);
    else if (row.hash_version == 1)
      hash = audit_row_hash(row.prev_hash, row.event);
    if (hash != row.hash)
      return damaged(records, row.id, "changed", fmt::format("record {}: changed (its hash does not match its fields)", row.id));
    if (row.prev_hash != expected_prev)
      return damaged(records, row.id, "broken_link",
                     fmt::format("record {}: broken link (its prev_hash is not the hash of record {}): a record "
                                 "before it was replaced, removed or inserted",
                                 row.id, row.id - 1));
    if (row.event.event_type == kAuditPruned) {
      last_pruned_id = row.id;
      last_pruned_details = row.event.details_json;
    }
    expected_prev = row.hash;
    ++expected_id;
    ++records;
  }
  q.reset();
  const std::int64_t last = expected_id - 1;
  if (last < chain.head_id)
    return damaged(records, last + 1, "removed",
                   last + 1 == chain.head_id
                       ? fmt::format("record {}: removed (the chain's head is record {})", last + 1, chain.head_id)
                       : fmt::format("record {}: removed (records {} to {}, the chain's head, are missing)", last + 1,
                                     last + 1, chain.head_id));
  if (expected_prev != chain.head_hash)
    return damaged(records, chain.head_id, "changed",
                   fmt::format("record {}: changed (the chain's head remembers another hash)", chain.head_id));
  // Pruning is itself on record: an anchor moved by hand (the oldest
  // records deleted and the anchor set to hide it) names no audit_pruned record.
  if (chain.anchor_id > 0 && (last_pruned_id == 0 || !names_anchor(last_pruned_details, chain.anchor_id,
                                                                      chain.anchor_hash)))
    return damaged(records, chain.anchor_id, "anchor",
                   fmt::format("record {}: the pruning anchor is not the one the last audit_pruned record names",
                               chain.anchor_id));
  AuditVerification ok;
  ok.records = records;
  ok.message = fmt::format("ok: {} records", records);
  return ok;
}

std::int64_t prune_audit_events(store::SqliteDatabase& db, std::int64_t cutoff_ms) {
  const AuditChainState chain = read_audit_chain_state(db);
  std::int64_t first_kept = 0;
  auto kept = db.prepare("SELECT MIN(id) FROM audit_events WHERE time >= ?1 AND id > ?2");
  kept.bind(1, cutoff_ms).bind(2, chain.anchor_id);
  if (kept.step() && !kept.is_null(0)) first_kept = kept.integer(0);
  kept.reset();
  const std::int64_t last_pruned = first_kept ? first_kept - 1 : chain.head_id;
  if (last_pruned <= chain.anchor_id) return 0;
  std::string anchor_hash;
  auto hash = db.prepare("SELECT hash FROM audit_events WHERE id = ?1");
  hash.bind(1, last_pruned);
  if (hash.step()) anchor_hash = hash.text(0);
  hash.reset();
  // The record a later one links to is what the anchor must name; when it
  // is gone already (the log was damaged), the link of its successor is.
  if (anchor_hash.empty()) {
    if (last_pruned == chain.head_id) {
      anchor_hash = chain.head_hash;
    } else {
      auto next = db.prepare("SELECT prev_hash FROM audit_events WHERE id = ?1");
      next.bind(1, last_pruned + 1);
      if (next.step()) anchor_hash = next.text(0);
      next.reset();
    }
  }
  auto del = db.prepare("DELETE FROM audit_events WHERE id <= ?1");
  del.bind(1, last_pruned).run();
  const std::int64_t deleted = db.changes();
  db.prepare("UPDATE audit_chain SET anchor_id = ?1, anchor_hash = ?2 WHERE one = 1")
      .bind(1, last_pruned).bind(2, anchor_hash).run();
  AuditEvent event;
  event.event_type = kAuditPruned;
  event.target_resource_type = "audit_log";
  std::string details;
  core::JsonWriter w(details);
  w.begin_object()
      .member("records", deleted)
      .member("anchor_id", last_pruned)
      .member("anchor_hash", anchor_hash)
      .member("before", core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(cutoff_ms))))
      .end_object();
  event.details_json = details;
  append_audit_event(db, event);
  return deleted;
}

}  // namespace qsip::server
