#include "server/queue/queue_store.hpp"

#include <simdjson.h>

#include "core/json_writer.hpp"

namespace qsip::server {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE queue_items (
        item_id TEXT PRIMARY KEY,
        queue_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        priority INTEGER NOT NULL,
        priority_label TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        enqueued_at INTEGER NOT NULL,
        required_skills TEXT NOT NULL,  -- JSON array of strings
        details TEXT NOT NULL,          -- JSON object, as the customer gave it
        state TEXT NOT NULL CHECK (state IN ('PENDING', 'OFFERED_TO_AGENT', 'ASSIGNED_TO_AGENT',
                                             'ACTIVE_WITH_AGENT', 'RESOLVED', 'ABANDONED')),
        agent_id TEXT NOT NULL,
        offered_at INTEGER NOT NULL,
        assigned_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL
      );
      CREATE INDEX queue_items_open ON queue_items(sequence) WHERE state NOT IN ('RESOLVED', 'ABANDONED');
    )sql"},
    // Calls started for an item: each names a session of its own (s-<item>, s-<item>-2 ...).
    {2, R"sql(
      ALTER TABLE queue_items ADD COLUMN call_attempts INTEGER NOT NULL DEFAULT 0;
    )sql"},
};

std::vector<std::string> read_skills(const std::string& json) {
  std::vector<std::string> skills;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(json).get(array)) return skills;
  for (auto element : array) {
    std::string_view text;
    if (!element.get(text)) skills.emplace_back(text);
  }
  return skills;
}

}  // namespace

std::span<const store::Migration> queue_migrations() { return kMigrations; }

std::string skills_json(const std::vector<std::string>& skills) {
  std::string json;
  core::JsonWriter w(json);
  w.begin_array();
  for (const auto& skill : skills) w.value(skill);
  w.end_array();
  return json;
}

void QueueStore::save(const QueueItem& item) {
  db_.cached(
         "INSERT INTO queue_items(item_id, queue_id, customer_id, priority, priority_label, sequence, enqueued_at, "
         "required_skills, details, state, agent_id, offered_at, assigned_at, ended_at, call_attempts) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
         "ON CONFLICT(item_id) DO UPDATE SET priority = ?4, priority_label = ?5, state = ?10, agent_id = ?11, "
         "offered_at = ?12, assigned_at = ?13, ended_at = ?14, call_attempts = ?15")
      .bind(1, item.item_id)
      .bind(2, item.queue_id)
      .bind(3, item.customer_id)
      .bind(4, item.priority)
      .bind(5, item.priority_label)
      .bind(6, static_cast<std::int64_t>(item.sequence))
      .bind(7, item.enqueued_at_ms)
      .bind(8, skills_json(item.required_skills))
      .bind(9, item.details_json)
      .bind(10, state_name(item.state))
      .bind(11, item.agent_id)
      .bind(12, item.offered_at_ms)
      .bind(13, item.assigned_at_ms)
      .bind(14, item.ended_at_ms)
      .bind(15, static_cast<std::int64_t>(item.call_attempts))
      .run();
}

std::vector<QueueItem> QueueStore::open_items() {
  std::vector<QueueItem> items;
  auto& q = db_.cached(
      "SELECT item_id, queue_id, customer_id, priority, priority_label, sequence, enqueued_at, required_skills, "
      "details, state, agent_id, offered_at, assigned_at, call_attempts FROM queue_items "
      "WHERE state NOT IN ('RESOLVED', 'ABANDONED') ORDER BY sequence");
  while (q.step()) {
    QueueItem item;
    item.item_id = q.text(0);
    item.queue_id = q.text(1);
    item.customer_id = q.text(2);
    item.priority = q.integer(3);
    item.priority_label = q.text(4);
    item.sequence = static_cast<std::uint64_t>(q.integer(5));
    item.enqueued_at_ms = q.integer(6);
    item.required_skills = read_skills(q.text(7));
    item.details_json = q.text(8);
    item.state = parse_state(q.text(9)).value_or(ItemState::kPending);
    item.agent_id = q.text(10);
    item.offered_at_ms = q.integer(11);
    item.assigned_at_ms = q.integer(12);
    item.call_attempts = static_cast<std::uint32_t>(q.integer(13));
    items.push_back(std::move(item));
  }
  q.reset();
  return items;
}

}  // namespace qsip::server
