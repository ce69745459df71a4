// ProfileStore over a real SQLite file, and the custom status expiry thread
// with a real group-commit writer: due statuses are cleared in the store and
// the owner's devices are told.
#include "server/profile/profile_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "server/dispatch/iso_time.hpp"
#include "server/profile/status_expiry.hpp"

using namespace qsip::server;
using namespace qsip::store;
using namespace std::chrono_literals;

namespace {
class ProfileStoreTest : public ::testing::Test {
 protected:
  ProfileStoreTest()
      : path(std::filesystem::temp_directory_path() /
             ("qsip-profile-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db")) {
    SqliteDatabase setup(path.string(), SyncPolicy::kNormal);
    apply_migrations(setup, "profiles", profile_migrations());
  }
  ~ProfileStoreTest() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  }
  std::filesystem::path path;
};

struct RecordingMailer : ConnectionMailer {
  std::mutex mutex;
  std::vector<std::pair<std::uint64_t, std::string>> delivered;
  std::atomic<int> count{0};
  bool deliver(std::uint64_t id, FrameBytes frame, Delivery) override {
    std::lock_guard lock(mutex);
    delivered.emplace_back(id, *frame);
    ++count;
    return true;
  }
  bool run(std::uint64_t, std::function<void(ClientSession&)>) override { return false; }
  void close(std::uint64_t, std::uint64_t) override {}
};
}  // namespace

TEST_F(ProfileStoreTest, SavesAndLoadsFieldsVisibilityAndExpiry) {
  SqliteDatabase db(path.string(), SyncPolicy::kNormal);
  ProfileStore store(db);
  EXPECT_TRUE(store.load("u").fields.empty());
  Profile p;
  p.fields["display_name"] = R"("Ann \"A\"")";
  p.fields["x"] = R"([1,{"y":null}])";
  p.visibility[FieldGroup::kStatus] = Visibility::kNobody;
  p.status_expires_at_ms = 5000;
  store.save("u", p, 1);
  Profile loaded = store.load("u");
  EXPECT_EQ(loaded.fields, p.fields);
  EXPECT_EQ(loaded.visibility, p.visibility);
  EXPECT_EQ(loaded.status_expires_at_ms, 5000);

  Profile other;
  other.status_expires_at_ms = 3000;
  store.save("v", other, 1);
  EXPECT_EQ(store.next_status_expiry(), 3000);
  EXPECT_TRUE(store.expired_statuses(2999).empty());
  EXPECT_EQ(store.expired_statuses(5000), (std::vector<std::string>{"v", "u"}));
}

TEST_F(ProfileStoreTest, ExpiryThreadClearsDueStatusesAndTellsTheOwnersDevices) {
  GroupCommitWriter writer(path.string(), GroupCommitWriter::Options{SyncPolicy::kNormal});
  std::int64_t due = unix_now_ms() + 300;
  writer.run_sync([&](SqliteDatabase& db) {
    Profile p;
    p.fields["custom_status_text"] = R"("Lunch")";
    p.fields["custom_status_expires_at"] = R"("x")";
    p.fields["display_name"] = R"("Bea")";
    p.status_expires_at_ms = due;
    ProfileStore(db).save("bea", p, 1);
  });
  NoContacts contacts;
  ProfileNotifier notifier(contacts);
  DeviceDirectory directory;
  directory.attach("bea", "phone", 7);
  RecordingMailer mailer;
  StatusExpiry expiry(path.string(), writer, notifier, ServerIdentity("srv", "n1"), 10s);
  expiry.start(directory, mailer);
  expiry.schedule(due);
  auto until = std::chrono::steady_clock::now() + 5s;
  while (mailer.count == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
  ASSERT_EQ(mailer.count, 1);
  EXPECT_GE(unix_now_ms(), due);
  {
    std::lock_guard lock(mailer.mutex);
    EXPECT_EQ(mailer.delivered[0].first, 7u);
    const auto& frame = mailer.delivered[0].second;
    EXPECT_NE(frame.find(R"("type":"USER_PROFILE")"), std::string::npos);
    EXPECT_NE(frame.find(R"("target_user_id":"bea")"), std::string::npos);
    EXPECT_NE(frame.find(R"("profile_data":{"display_name":"Bea","visibility")"), std::string::npos) << frame;
    EXPECT_NE(frame.find(R"("changed_fields":["custom_status_emoji","custom_status_text","custom_status_expires_at"])"),
              std::string::npos);
  }
  SqliteDatabase db(path.string(), SyncPolicy::kNormal);
  Profile after = ProfileStore(db).load("bea");
  EXPECT_FALSE(after.fields.contains("custom_status_text"));
  EXPECT_EQ(after.status_expires_at_ms, 0);
}
