#include "server/operator/audit_commands.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/json_writer.hpp"
#include "server/audit/audit_chain.hpp"
#include "server/audit/audit_log.hpp"
#include "server/audit/audit_query.hpp"
#include "server/audit/audit_store.hpp"
#include "server/dispatch/iso_time.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::server {

namespace {

std::filesystem::path database_of(const Config& config) { return config.server.data_dir / "qsip.db"; }

int verify(const Config& config) {
  const auto path = database_of(config);
  if (!std::filesystem::exists(path)) {
    std::cerr << "qsipd audit verify: no database at " << path.string() << '\n';
    return 1;
  }
  // Read-only: verify never writes, and never waits for qsipd's writer.
  store::SqliteDatabase db(path.string(), store::SyncPolicy::kNormal, true);
  auto result = verify_audit_chain(db);
  if (result.intact) {
    std::cout << result.message << '\n';
    return 0;
  }
  std::cout << "damaged: " << result.message << '\n';
  std::cerr << "qsipd audit verify: " << result.message << '\n';
  return 1;
}

// The filters, with their times parsed; nullopt (and the reason printed) on a bad one.
std::optional<AuditFilter> filter_of(const OperatorArgs& a) {
  AuditFilter f;
  if (!a.since.empty()) {
    f.since_ms = parse_timestamp_ms(a.since);
    if (!f.since_ms) {
      std::cerr << "qsipd audit export: --since " << a.since << ": expected an ISO 8601 time such as 2026-01-01T00:00:00Z\n";
      return std::nullopt;
    }
  }
  if (!a.until_time.empty()) {
    f.until_ms = parse_timestamp_ms(a.until_time);
    if (!f.until_ms) {
      std::cerr << "qsipd audit export: --until " << a.until_time
                << ": expected an ISO 8601 time such as 2026-01-01T00:00:00Z\n";
      return std::nullopt;
    }
  }
  f.actor_user_id = a.actor;
  f.event_type = a.event_type;
  f.target_resource_type = a.resource_type;
  f.target_resource_id = a.resource_id;
  return f;
}

std::string export_details(const OperatorArgs& a, std::int64_t records) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member("cause", "operator").member("command", "audit export").member("records", records);
  w.member("output", a.output.empty() ? std::string("stdout") : a.output);
  w.key("filters").begin_object();
  auto put = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) w.member(key, value);
  };
  put("since", a.since);
  put("until", a.until_time);
  put("actor_user_id", a.actor);
  put("event_type", a.event_type);
  put("target_resource_type", a.resource_type);
  put("target_resource_id", a.resource_id);
  w.end_object().end_object();
  return out;
}

int export_events(const Config& config, const OperatorArgs& a) {
  auto filter = filter_of(a);
  if (!filter) return kExitUsage;
  const auto path = database_of(config);
  if (!std::filesystem::exists(path)) {
    std::cerr << "qsipd audit export: no database at " << path.string() << '\n';
    return 1;
  }
  store::SqliteDatabase db(path.string(), store::SyncPolicy::kFull);
  store::apply_migrations(db, "audit", audit_migrations());

  std::ofstream file;
  if (!a.output.empty()) {
    // Created private: an export holds what the audit log holds.
    int fd = ::open(a.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
      std::cerr << "qsipd audit export: cannot create " << a.output << '\n';
      return 1;
    }
    ::close(fd);
    file.open(a.output, std::ios::binary | std::ios::trunc);
  }
  std::ostream& out = a.output.empty() ? std::cout : file;
  std::int64_t records = 0;
  {
    // One snapshot for the whole export.
    db.exec("BEGIN");
    try {
      records = for_each_audit_event(db, *filter, [&](const StoredAuditEvent& row) {
        out << audit_event_json(row) << '\n';
        return static_cast<bool>(out);
      });
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
    db.exec("COMMIT");
  }
  out.flush();
  if (!out) {
    std::cerr << "qsipd audit export: writing " << (a.output.empty() ? "stdout" : a.output) << " failed\n";
    return 1;
  }
  // The export is itself an audited action, chained like any other record
  // (BEGIN IMMEDIATE: qsipd's writer waits, the chain does not fork).
  AuditEvent event;
  event.event_type = kAuditDataExport;
  event.target_resource_type = "audit_log";
  event.details_json = export_details(a, records);
  prepare_audit_event(event, AuditSettings{config.audit.ip_addresses, {}});
  store::Transaction transaction(db);
  append_audit_event(db, event);
  transaction.commit();
  std::cerr << "exported " << records << " audit record" << (records == 1 ? "" : "s") << '\n';
  return 0;
}

}  // namespace

int run_audit_command(const Invocation& invocation) {
  try {
    switch (invocation.command) {
      case Command::audit_verify: return verify(invocation.config);
      case Command::audit_export: return export_events(invocation.config, invocation.args);
      default: break;
    }
  } catch (const std::exception& e) {
    std::cerr << "qsipd audit: " << e.what() << '\n';
    return 1;
  }
  return 1;
}

}  // namespace qsip::server
