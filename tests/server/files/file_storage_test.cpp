// FileStorage over a real store and data directory: limits, quota, the
// size and hash checks, the blob put in place, the access rule. Also the
// pieces beneath it: the blob store and the quota ledger.
#include "server/files/file_storage.hpp"

#include <unistd.h>

#include <fstream>
#include <future>

#include "files_fixture.hpp"

using namespace qsip;
using namespace qsip::server;
using namespace qsip::server::testing;
using core::ErrorCode;

namespace {

class FileStorageTest : public FilesFixture {
 protected:
  // Uploads `bytes` as `user` and waits for the record.
  core::Outcome<FileRecord> store(FileStorage& s, const std::string& user, const std::string& bytes) {
    auto upload = s.begin_upload(*reader, user, header(bytes));
    if (!upload) return upload.failure();
    if (auto f = upload.value()->append(bytes)) return *f;
    std::promise<core::Outcome<FileRecord>> done;
    auto recorded = done.get_future();
    if (auto f = s.finish_upload(std::move(upload.value()), 1000, [&](core::Outcome<FileRecord> o) { done.set_value(o); }))
      return *f;
    return recorded.get();
  }
};

struct ReferencedFor : FileReferenceCheck {
  std::string user, file;
  bool is_referenced_for(store::SqliteDatabase&, const std::string& u, const std::string& f) override {
    return u == user && f == file;
  }
};

}  // namespace

TEST_F(FileStorageTest, StoresTheBlobByHashAndRecordsTheFile) {
  auto& s = make_storage();
  std::string bytes = pattern(200'000);
  auto record = store(s, "u-alice", bytes);
  ASSERT_TRUE(record.ok()) << record.failure().detail;
  EXPECT_EQ(record->sha256, sha256_of(bytes));
  EXPECT_EQ(record->size, bytes.size());
  EXPECT_EQ(record->uploader, "u-alice");
  EXPECT_EQ(record->file_id.size(), 36u);
  auto path = blobs->blob_path(record->sha256);
  EXPECT_EQ(path.parent_path().filename(), record->sha256.substr(0, 2));
  EXPECT_EQ(std::filesystem::file_size(path), bytes.size());
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());

  auto found = FileStore(*reader).find(record->file_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->file_name, "report.pdf");
  EXPECT_EQ(found->mime_type, "application/pdf");
  EXPECT_EQ(FileStore(*reader).bytes_used("u-alice"), bytes.size());
  EXPECT_EQ(s.url(record->file_id), "qsip://qsip-server/files/" + record->file_id);
}

TEST_F(FileStorageTest, RefusesAFileOverTheMaximumBeforeAnyByte) {
  FilesSettings settings;
  settings.max_file_size = 1000;
  auto& s = make_storage(settings);
  auto upload = s.begin_upload(*reader, "u-alice", header(pattern(1001)));
  ASSERT_FALSE(upload.ok());
  EXPECT_EQ(upload.failure().code, ErrorCode::kMessageTooLarge);
  EXPECT_EQ(upload.failure().detail, "file_size: 1001 bytes, more than the maximum 1000");
  EXPECT_EQ(upload.failure().target_message_id, "m-up");
  EXPECT_TRUE(s.begin_upload(*reader, "u-alice", header(pattern(1000))).ok());
}

TEST_F(FileStorageTest, EnforcesTheQuotaOverStoredAndUnfinishedUploads) {
  FilesSettings settings;
  settings.user_quota_bytes = 10'000;
  auto& s = make_storage(settings);
  ASSERT_TRUE(store(s, "u-alice", pattern(6000, 1)).ok());
  // In progress: counts until it is recorded or abandoned.
  auto pending = s.begin_upload(*reader, "u-alice", header(pattern(3000, 2)));
  ASSERT_TRUE(pending.ok());
  auto refused = s.begin_upload(*reader, "u-alice", header(pattern(1001, 3)));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.failure().code, ErrorCode::kForbidden);
  EXPECT_EQ(refused.failure().detail, "file_size: 1001 bytes would exceed the quota of 10000 bytes (9000 used)");
  EXPECT_TRUE(store(s, "u-bob", pattern(9000, 4)).ok());  // per user
  pending.value().reset();  // abandoned: its reservation goes
  EXPECT_TRUE(s.begin_upload(*reader, "u-alice", header(pattern(4000, 5))).ok());
}

TEST_F(FileStorageTest, ABodyThatDoesNotMatchItsHeaderIsRefusedAndLeavesNothing) {
  auto& s = make_storage();
  std::string bytes = pattern(5000);

  auto longer = s.begin_upload(*reader, "u-alice", header(bytes));
  ASSERT_TRUE(longer.ok());
  EXPECT_FALSE(longer.value()->append(bytes));
  auto over = longer.value()->append("x");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->code, ErrorCode::kMalformedPayload);
  EXPECT_EQ(over->detail, "file_size: more than the 5000 bytes declared were sent");

  auto shorter = s.begin_upload(*reader, "u-alice", header(bytes));
  ASSERT_TRUE(shorter.ok());
  shorter.value()->append(bytes.substr(0, 4000));
  auto short_failure = s.finish_upload(std::move(shorter.value()), 0, [](auto) { FAIL() << "recorded"; });
  ASSERT_TRUE(short_failure);
  EXPECT_EQ(short_failure->detail, "file_size: the stream ended after 4000 of 5000 bytes");

  auto h = header(bytes);
  h.sha256 = sha256_of("something else");
  auto wrong = s.begin_upload(*reader, "u-alice", h);
  ASSERT_TRUE(wrong.ok());
  wrong.value()->append(bytes);
  auto hash_failure = s.finish_upload(std::move(wrong.value()), 0, [](auto) { FAIL() << "recorded"; });
  ASSERT_TRUE(hash_failure);
  EXPECT_EQ(hash_failure->code, ErrorCode::kMalformedPayload);
  EXPECT_EQ(hash_failure->detail, "sha256: the bytes received hash to " + sha256_of(bytes));

  longer.value().reset();
  writer->flush();
  EXPECT_TRUE(files_in(blobs->temp_dir()).empty());
  EXPECT_FALSE(std::filesystem::exists(blobs->blob_path(sha256_of(bytes))));
  EXPECT_EQ(FileStore(*reader).bytes_used("u-alice"), 0u);
}

TEST_F(FileStorageTest, TheUploaderMayDownloadAndOthersOnlyWhenAMessageReferencesTheFile) {
  auto& s = make_storage();
  std::string bytes = pattern(3000);
  auto record = store(s, "u-alice", bytes);
  ASSERT_TRUE(record.ok());

  auto mine = s.open_download(*reader, "u-alice", record->file_id);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->record.sha256, record->sha256);
  std::string read(bytes.size(), '\0');
  EXPECT_EQ(::pread(mine->fd.get(), read.data(), read.size(), 0), static_cast<ssize_t>(bytes.size()));
  EXPECT_EQ(read, bytes);

  auto theirs = s.open_download(*reader, "u-bob", record->file_id);
  ASSERT_FALSE(theirs.ok());
  EXPECT_EQ(theirs.failure().code, ErrorCode::kForbidden);

  ReferencedFor references;
  references.user = "u-bob";
  references.file = record->file_id;
  access.set_reference_check(&references);
  EXPECT_TRUE(s.open_download(*reader, "u-bob", record->file_id).ok());
  EXPECT_FALSE(s.open_download(*reader, "u-carol", record->file_id).ok());

  auto unknown = s.open_download(*reader, "u-alice", "no-such-file");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.failure().code, ErrorCode::kResourceNotFound);
}

TEST_F(FileStorageTest, TheSameContentTwiceIsOneBlobAndTwoRecords) {
  auto& s = make_storage();
  std::string bytes = pattern(1000);
  auto a = store(s, "u-alice", bytes);
  auto b = store(s, "u-bob", bytes);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->file_id, b->file_id);
  EXPECT_EQ(files_in(blobs->blob_path(a->sha256).parent_path()).size(), 1u);
  EXPECT_TRUE(s.open_download(*reader, "u-bob", b->file_id).ok());
}

TEST(BlobStore, PrepareRemovesWhatACrashLeftAndATempFileGoesWithItsOwner) {
  qsip::test::TempDir dir;
  BlobStore blobs(dir.path() / "files");
  blobs.prepare();
  std::filesystem::path left;
  {
    auto temp = blobs.create_temp();
    left = temp.path();
    EXPECT_TRUE(temp.append("abc"));
    EXPECT_TRUE(std::filesystem::exists(left));
  }
  EXPECT_FALSE(std::filesystem::exists(left));
  auto kept = blobs.create_temp();
  auto moved = std::move(kept);  // the moved-from one removes nothing
  EXPECT_TRUE(std::filesystem::exists(moved.path()));
  std::ofstream(blobs.temp_dir() / "upload-crashed") << "partial";
  blobs.prepare();
  EXPECT_TRUE(files_in(blobs.temp_dir()).empty());
  EXPECT_EQ(std::filesystem::status(blobs.temp_dir()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
}

TEST(QuotaLedger, ReservesUpToTheQuotaAndReleasesOnDestruction) {
  QuotaLedger ledger;
  QuotaLedger::Refusal refusal;
  auto stored = [] { return std::uint64_t{40}; };
  auto a = ledger.reserve("u", 50, 100, stored, refusal);
  ASSERT_TRUE(a);
  EXPECT_EQ(ledger.reserved("u"), 50u);
  EXPECT_FALSE(ledger.reserve("u", 11, 100, stored, refusal));
  EXPECT_EQ(refusal.used, 90u);
  auto b = ledger.reserve("u", 10, 100, stored, refusal);
  ASSERT_TRUE(b);
  a.reset();
  EXPECT_EQ(ledger.reserved("u"), 10u);
  b.reset();
  EXPECT_EQ(ledger.reserved("u"), 0u);
  EXPECT_FALSE(ledger.reserve("u", 1, 100, [] { return std::uint64_t{200}; }, refusal));  // already over
}
