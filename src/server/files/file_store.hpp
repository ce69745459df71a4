// File metadata in the SQLite store: one row per upload. The files module
// owns the table and its migrations (listed in serving/qsip_server.cpp).
// Reads and writes on a connection the caller owns.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "server/files/file_record.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

std::span<const store::Migration> file_migrations();

class FileStore {
 public:
  explicit FileStore(store::SqliteDatabase& db) : db_(db) {}

  // Throws store::StoreError (a duplicate file_id included).
  void insert(const FileRecord& file);
  std::optional<FileRecord> find(const std::string& file_id);
  // What counts against the user's quota: the sizes of every file the user
  // uploaded.
  std::uint64_t bytes_used(const std::string& uploader);

 private:
  store::SqliteDatabase& db_;
};

}  // namespace qsip::server
