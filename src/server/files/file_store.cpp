#include "server/files/file_store.hpp"

namespace qsip::server {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE files (
        file_id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,          -- the blob: DATA/files/<sha256[0..2]>/<sha256>
        size INTEGER NOT NULL,
        mime_type TEXT NOT NULL,
        file_name TEXT NOT NULL,
        uploader TEXT NOT NULL,        -- user_id
        created_at INTEGER NOT NULL    -- Unix ms
      );
      CREATE INDEX files_by_uploader ON files(uploader);
      CREATE INDEX files_by_sha256 ON files(sha256);
    )sql"},
};
}  // namespace

std::span<const store::Migration> file_migrations() { return kMigrations; }

void FileStore::insert(const FileRecord& f) {
  db_.cached("INSERT INTO files(file_id, sha256, size, mime_type, file_name, uploader, created_at) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind(1, f.file_id)
      .bind(2, f.sha256)
      .bind(3, static_cast<std::int64_t>(f.size))
      .bind(4, f.mime_type)
      .bind(5, f.file_name)
      .bind(6, f.uploader)
      .bind(7, f.created_at_ms)
      .run();
}

std::optional<FileRecord> FileStore::find(const std::string& file_id) {
  auto& q = db_.cached(
      "SELECT file_id, sha256, size, mime_type, file_name, uploader, created_at FROM files WHERE file_id = ?1");
  q.bind(1, file_id);
  std::optional<FileRecord> out;
  if (q.step())
    out = FileRecord{q.text(0), q.text(1), static_cast<std::uint64_t>(q.integer(2)), q.text(3), q.text(4), q.text(5),
                     q.integer(6)};
  q.reset();  // a half-read result would keep this connection on an old snapshot
  return out;
}

std::uint64_t FileStore::bytes_used(const std::string& uploader) {
  auto& q = db_.cached("SELECT COALESCE(SUM(size), 0) FROM files WHERE uploader = ?1");
  q.bind(1, uploader);
  std::uint64_t used = q.step() ? static_cast<std::uint64_t>(q.integer(0)) : 0;
  q.reset();
  return used;
}

}  // namespace qsip::server
