// Queue items in SQLite (module "queue"): every item with its state,
// priority, arrival sequence and details, so that after a restart each
// waiting item is back in its place (the sequence orders it) and held items
// are back with their agents. Final items stay as history.
#pragma once

#include <span>
#include <vector>

#include "server/queue/queue_types.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

std::span<const store::Migration> queue_migrations();

class QueueStore {
 public:
  explicit QueueStore(store::SqliteDatabase& db) : db_(db) {}
  // Inserts or updates the item as it is now.
  void save(const QueueItem& item);
  // Items not yet RESOLVED or ABANDONED, in arrival order.
  std::vector<QueueItem> open_items();

 private:
  store::SqliteDatabase& db_;
};

std::string skills_json(const std::vector<std::string>& skills);

}  // namespace qsip::server
