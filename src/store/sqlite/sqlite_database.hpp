// A thin RAII layer over one SQLite connection: open with the pragmas qsip
// needs (WAL, foreign keys, busy timeout), prepared statements that bind and
// read typed values, and errors as exceptions carrying SQLite's message.
// One connection is used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <memory>

namespace qsip::store {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class SyncPolicy {
  kFull,    // fsync at every commit: a committed message survives power loss (default)
  kNormal,  // WAL without fsync per commit: survives a crash of qsipd, not of the machine
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind_blob(int index, std::string_view bytes);

  // True when a row is available; false when done.
  bool step();
  // Runs to completion (for statements that return no rows).
  void run();
  void reset();

  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDatabase {
 public:
  // Opens (creating when needed) with WAL, foreign keys and a busy timeout.
  SqliteDatabase(const std::string& path, SyncPolicy sync, bool read_only = false);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // A statement prepared once per connection and kept (SQLite's parser is a
  // visible cost on hot paths). Returned reset and with cleared bindings;
  // valid until the connection closes. Do not hold two uses of the same
  // text at once. Reset it (or step it to the end) as soon as its rows are
  // read: a statement left on a row keeps the connection's read snapshot,
  // and later reads would not see newer commits.
  Statement& cached(std::string_view sql);
  // Resets every statement left in the middle of its rows, so the next read
  // sees everything committed so far (a statement stepped but not reset
  // keeps the connection's read snapshot). Only between reads, on the
  // thread that uses this connection.
  void end_open_reads();
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class Transaction {
 public:
  explicit Transaction(SqliteDatabase& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) {
      try { db_.exec("ROLLBACK"); } catch (...) {}
    }
  }
  void commit() { db_.exec("COMMIT"); done_ = true; }

 private:
  SqliteDatabase& db_;
  bool done_ = false;
};

}  // namespace qsip::store
