// What the files module's tests share: a data directory with the store
// (migrations applied), the one writer and a reader; a timer whose tasks
// the test runs by hand; a transport that records raw stream writes.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/accounts/account_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/raw_streams.hpp"
#include "server/files/blob_store.hpp"
#include "server/files/file_access.hpp"
#include "server/files/file_storage.hpp"
#include "server/files/file_store.hpp"
#include "server/files/session_timer.hpp"
#include "server/dispatch/sha256.hpp"
#include "server/temp_dir.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::server::testing {

inline std::string sha256_of(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex_digest();
}

// Bytes that differ from position to position (a shifted copy would not hash alike).
inline std::string pattern(std::size_t size, unsigned seed = 1) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

inline std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  if (std::filesystem::exists(dir))
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

// Tasks are kept until the test runs them (run_after is called from the
// writer thread too).
class ManualTimer : public SessionTimer {
 public:
  void run_after(std::uint64_t connection_id, std::chrono::milliseconds delay, Task task) override {
    std::lock_guard lock(mutex_);
    tasks_.push_back({connection_id, delay, std::move(task)});
  }
  // Runs the tasks pending now (not those they schedule); returns how many.
  std::size_t run(ClientSession& session, bool include_delayed = true) {
    std::vector<Entry> now;
    {
      std::lock_guard lock(mutex_);
      for (auto it = tasks_.begin(); it != tasks_.end();) {
        if (include_delayed || it->delay.count() == 0) {
          now.push_back(std::move(*it));
          it = tasks_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& e : now) e.task(session);
    return now.size();
  }
  std::size_t pending() {
    std::lock_guard lock(mutex_);
    return tasks_.size();
  }

 private:
  struct Entry {
    std::uint64_t connection_id;
    std::chrono::milliseconds delay;
    Task task;
  };
  std::mutex mutex_;
  std::vector<Entry> tasks_;
};

// The transport side of raw streams, recorded.
class RecordingWriter : public RawStreamWriter {
 public:
  SendResult write(std::int64_t stream_id, std::string_view bytes, bool fin) override {
    written[stream_id].append(bytes);
    if (fin) finished[stream_id] = true;
    queued += bytes.size();
    return SendResult::kQueued;
  }
  void reset(std::int64_t stream_id, std::uint64_t code) override { resets[stream_id] = code; }
  std::size_t queued_bytes() const override { return queued; }

  std::map<std::int64_t, std::string> written;
  std::map<std::int64_t, bool> finished;
  std::map<std::int64_t, std::uint64_t> resets;
  std::size_t queued = 0;  // the test drains it as a peer's acknowledgements would
};

class FilesFixture : public ::testing::Test {
 protected:
  FilesFixture() : db_path((dir.path() / "qsip.db").string()) {
    {
      store::SqliteDatabase setup(db_path, store::SyncPolicy::kNormal);
      store::apply_migrations(setup, "accounts", account_migrations());
      store::apply_migrations(setup, "files", file_migrations());
    }
    writer = std::make_unique<store::GroupCommitWriter>(db_path, store::GroupCommitWriter::Options{store::SyncPolicy::kNormal});
    reader = std::make_unique<store::SqliteDatabase>(db_path, store::SyncPolicy::kNormal);
    blobs = std::make_unique<BlobStore>(dir.path() / "files");
    blobs->prepare();
  }
  // Completions still queued release quota into the storage: run them first.
  ~FilesFixture() override { writer->flush(); }

  FileStorage& make_storage(FilesSettings settings = {}) {
    storage = std::make_unique<FileStorage>(settings, *blobs, access, *writer);
    return *storage;
  }

  UploadHeader header(const std::string& bytes, std::string name = "report.pdf") {
    return UploadHeader{"m-up", std::move(name), bytes.size(), "application/pdf", sha256_of(bytes)};
  }

  qsip::test::TempDir dir;
  std::string db_path;
  std::unique_ptr<store::GroupCommitWriter> writer;
  std::unique_ptr<store::SqliteDatabase> reader;
  std::unique_ptr<BlobStore> blobs;
  UploaderOrReferenceAccess access;
  std::unique_ptr<FileStorage> storage;
};

}  // namespace qsip::server::testing
