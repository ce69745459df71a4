#include "server/profile/profile_store.hpp"

#include <simdjson.h>

#include "core/json_writer.hpp"

namespace qsip::server {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE profiles (
        user_id TEXT PRIMARY KEY,
        fields TEXT NOT NULL DEFAULT '{}',       -- JSON object: name -> value as given
        visibility TEXT NOT NULL DEFAULT '{}',   -- JSON object: group -> everyone|contacts|nobody
        status_expires_at INTEGER NOT NULL DEFAULT 0,  -- Unix ms; 0: no expiry
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX profiles_status_expiry ON profiles(status_expires_at) WHERE status_expires_at > 0;
    )sql"},
};

std::string fields_json(const Profile& p) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object();
  for (const auto& [name, value] : p.fields) w.key(name).raw(value);
  w.end_object();
  return out;
}

std::string visibility_json(const Profile& p) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object();
  for (const auto& [group, visibility] : p.visibility) w.member(to_string(group), to_string(visibility));
  w.end_object();
  return out;
}

void read_objects(Profile& p, const std::string& fields, const std::string& visibility) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (!parser.parse(fields).get(object))
    for (auto [key, value] : object) p.fields.emplace(std::string(key), simdjson::to_string(value));
  if (!parser.parse(visibility).get(object))
    for (auto [key, value] : object) {
      auto group = parse_field_group(key);
      std::string_view name;
      auto level = value.get(name) ? std::nullopt : parse_visibility(name);
      if (group && level) p.visibility[*group] = *level;
    }
}
}  // namespace

std::span<const store::Migration> profile_migrations() { return kMigrations; }

Profile ProfileStore::load(const std::string& user_id) {
  auto& q = db_.cached("SELECT fields, visibility, status_expires_at FROM profiles WHERE user_id = ?1");
  q.bind(1, user_id);
  Profile p;
  if (q.step()) {
    std::string fields = q.text(0), visibility = q.text(1);
    p.status_expires_at_ms = q.integer(2);
    q.reset();  // before parsing: never hold the snapshot longer than the read
    read_objects(p, fields, visibility);
  }
  q.reset();
  return p;
}

void ProfileStore::save(const std::string& user_id, const Profile& p, std::int64_t now_ms) {
  db_.cached("INSERT INTO profiles(user_id, fields, visibility, status_expires_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5) "
             "ON CONFLICT(user_id) DO UPDATE SET fields = excluded.fields, visibility = excluded.visibility, "
             "status_expires_at = excluded.status_expires_at, updated_at = excluded.updated_at")
      .bind(1, user_id).bind(2, fields_json(p)).bind(3, visibility_json(p)).bind(4, p.status_expires_at_ms)
      .bind(5, now_ms).run();
}

std::vector<std::string> ProfileStore::expired_statuses(std::int64_t now_ms) {
  auto& q = db_.cached("SELECT user_id FROM profiles WHERE status_expires_at > 0 AND status_expires_at <= ?1 ORDER BY status_expires_at");
  q.bind(1, now_ms);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::optional<std::int64_t> ProfileStore::next_status_expiry() {
  auto& q = db_.cached("SELECT min(status_expires_at) FROM profiles WHERE status_expires_at > 0");
  std::optional<std::int64_t> out;
  if (q.step() && !q.is_null(0)) out = q.integer(0);
  q.reset();
  return out;
}

}  // namespace qsip::server
