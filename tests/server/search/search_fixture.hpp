// A real SQLite file with the tables search reads (accounts, profiles, the
// message stream and its FTS5 index), and helpers that store messages the
// way the messaging module does (SqliteMessageStore::insert, on the
// connection that then reads: the triggers index them on the spot).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "server/accounts/account_store.hpp"
#include "server/profile/contact_check.hpp"
#include "server/profile/profile_store.hpp"
#include "server/search/group_membership.hpp"
#include "server/search/search_migrations.hpp"
#include "store/sqlite/sqlite_message_store.hpp"

namespace qsip::server::testing {

inline std::filesystem::path temp_db_path(const std::string& what) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::filesystem::temp_directory_path() / ("qsip-search-" + what + "-" + std::to_string(::getpid()) + "-" +
                                                   test->test_suite_name() + "-" + test->name() + ".db");
}

class SearchDb {
 public:
  // `with_search`: false leaves the FTS5 migration out (to apply it later).
  explicit SearchDb(bool with_search = true)
      : path_(temp_db_path("db")), db_(path_.string(), store::SyncPolicy::kNormal) {
    store::apply_migrations(db_, "accounts", account_migrations());
    store::apply_migrations(db_, "profiles", profile_migrations());
    store::apply_migrations(db_, "messages", store::message_migrations());
    if (with_search) apply_search();
  }
  ~SearchDb() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  SearchDb(const SearchDb&) = delete;
  SearchDb& operator=(const SearchDb&) = delete;

  void apply_search() { store::apply_migrations(db_, "search", search_migrations()); }
  store::SqliteDatabase& db() { return db_; }
  const std::filesystem::path& path() const { return path_; }

  // A text MESSAGE from `from` to a user (or, with `to_group`, a group);
  // returns its seq.
  std::int64_t message(const std::string& from, const std::string& to_user, const std::string& text,
                       const std::string& to_group = {}, const std::string& thread_id = {},
                       const std::string& kind = "MESSAGE") {
    store::StoredEvent e;
    e.kind = kind;
    e.sender_user = from;
    e.sender_device = from + "-phone";
    e.message_id = "m-" + std::to_string(++counter_);
    e.to_user = to_user;
    e.to_group = to_group;
    e.thread_id = thread_id;
    e.created_at_ms = 1748738605000 + counter_;
    std::string payload;
    core::JsonWriter w(payload);
    w.begin_object().member("message_type", "text").member("content", text);
    if (!thread_id.empty()) w.member("thread_id", thread_id);
    w.end_object();
    core::EnvelopeFields f;
    f.message_id = e.message_id;
    f.timestamp = "2025-06-01T00:43:25Z";
    f.type = kind;
    f.from_user_id = e.sender_user;
    f.from_device_id = e.sender_device;
    f.to_user_id = to_user;
    f.to_group_id = to_group;
    e.envelope = core::build_envelope(f, payload);
    e.search_text = text;
    auto outcome = store::SqliteMessageStore::insert(db_, e);
    EXPECT_TRUE(outcome.stored && !outcome.duplicate);
    return outcome.seq;
  }

  void user(const std::string& id, const std::string& account_name = {}) {
    ASSERT_TRUE(AccountStore(db_).add_user({id, account_name, 1}));
  }
  // A profile with `display_name` (none when empty) and the basic group's visibility.
  void profile(const std::string& id, const std::string& display_name, Visibility basic = Visibility::kEveryone) {
    Profile p;
    if (!display_name.empty()) {
      std::string json;
      core::append_json_string(json, display_name);
      p.fields["display_name"] = json;
    }
    p.visibility[FieldGroup::kBasic] = basic;
    ProfileStore(db_).save(id, p, 1);
  }

 private:
  std::filesystem::path path_;
  store::SqliteDatabase db_;
  int counter_ = 0;
};

// Group membership as a test sets it.
class FakeMembership final : public GroupMembership {
 public:
  std::map<std::string, std::vector<std::string>> groups;
  std::vector<std::string> groups_of(store::SqliteDatabase&, const std::string& user) override {
    auto it = groups.find(user);
    return it == groups.end() ? std::vector<std::string>{} : it->second;
  }
  GroupPage public_groups_matching(store::SqliteDatabase&, std::string_view, std::int64_t, std::int64_t) override {
    return {};
  }
};

// Contacts as a test sets them (symmetric pairs).
class FakeContacts final : public ContactCheck {
 public:
  std::set<std::pair<std::string, std::string>> pairs;
  int asked = 0;
  void add(const std::string& a, const std::string& b) {
    pairs.insert({a, b});
    pairs.insert({b, a});
  }
  bool are_contacts(store::SqliteDatabase&, const std::string& a, const std::string& b) override {
    ++asked;
    return pairs.count({a, b}) > 0;
  }
  std::vector<std::string> contacts_of(store::SqliteDatabase&, const std::string&) override { return {}; }
};

}  // namespace qsip::server::testing
