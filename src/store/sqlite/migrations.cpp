#include "store/sqlite/migrations.hpp"

namespace qsip::store {

int apply_migrations(SqliteDatabase& db, std::string_view module, std::span<const Migration> migrations) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL)");
  int current = 0;
  {
    auto q = db.prepare("SELECT version FROM schema_versions WHERE module = ?1");
    q.bind(1, module);
    if (q.step()) current = static_cast<int>(q.integer(0));
  }
  int applied = 0;
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    Transaction tx(db);
    db.exec(m.sql);
    auto record = db.prepare(
        "INSERT INTO schema_versions(module, version) VALUES(?1, ?2) "
        "ON CONFLICT(module) DO UPDATE SET version = excluded.version");
    record.bind(1, module).bind(2, m.version).run();
    tx.commit();
    current = m.version;
    ++applied;
  }
  return applied;
}

}  // namespace qsip::store
