// The SQLite backend of MessageStore: writes go through the group-commit
// writer (one fsync for many messages), reads through the worker's own
// connection. One object per worker (it uses that worker's reader).
#pragma once

#include <span>

#include "store/message_store.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::store {

// The tables of the message stream (module "messages").
std::span<const Migration> message_migrations();

class SqliteMessageStore final : public MessageStore {
 public:
  SqliteMessageStore(SqliteDatabase& reader, GroupCommitWriter& writer) : reader_(reader), writer_(writer) {}

  using MessageStore::append;
  bool append(StoredEvent event, MessageChange change, std::function<void(const AppendOutcome&)> done) override;
  bool advance_cursor(const DeviceKey& device, std::int64_t seq) override;
  bool raise_state(const std::string& sender_user, const std::string& message_id, MessageState state,
                   std::int64_t now_ms = 0) override;
  bool schedule(StoredEvent event, std::function<void(const AppendOutcome&)> done) override;
  bool release(const std::string& sender_user, const std::string& message_id,
               std::function<void(const AppendOutcome&)> done) override;
  bool drop_scheduled(const std::string& sender_user, const std::string& message_id) override;
  std::vector<StoredEvent> due_scheduled(std::int64_t now_ms, std::size_t limit) override;
  std::vector<StoredEvent> due_expiries(std::int64_t now_ms, std::size_t limit) override;
  std::optional<std::int64_t> next_timer_ms() override;

  std::optional<StoredEvent> find(const std::string& sender_user, const std::string& message_id) override;
  std::vector<StoredEvent> find_messages(const std::string& message_id) override;
  std::optional<MessageNow> now(std::int64_t seq) override;
  bool file_referenced_for(const std::string& user_id, const std::vector<std::string>& groups,
                           const std::string& file_id) override;
  std::vector<MessageNow> history(const HistoryQuery& query) override;
  std::int64_t cursor(const DeviceKey& device) override;
  std::vector<StoredEvent> pending(const DeviceKey& device, const std::vector<std::string>& groups,
                                   std::int64_t after_seq, std::size_t limit, bool urgent_only = false) override;

  // The write part of append(), for the writer's thread: inserts unless a
  // duplicate. Exposed for tests and for callers already on the writer.
  static AppendOutcome insert(SqliteDatabase& db, const StoredEvent& event);
  // The write part of append() with a change, for the writer's thread.
  static AppendOutcome insert_with_change(SqliteDatabase& db, const StoredEvent& event, const MessageChange& change);

 private:
  // Runs `task` on the writer; `done` gets its outcome once durable.
  bool submit_outcome(std::function<AppendOutcome(SqliteDatabase&)> task, std::function<void(const AppendOutcome&)> done);

  SqliteDatabase& reader_;
  GroupCommitWriter& writer_;
};

}  // namespace qsip::store
