#include "server/analytics/analytics_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/wire_limits.hpp"
#include "server/analytics/analytics_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/dispatch/request_rate_limiter.hpp"

namespace qsip::server {

namespace {

using core::ErrorCode;
using core::Failure;

constexpr std::int64_t kDayMs = 86'400'000;
// Room for aggregates in an answer: the wire limit less the envelope and a margin.
constexpr std::size_t kAnswerBudget = core::kMaxFrameBytes - 2048;

Failure refuse(const Request& r, ErrorCode code, std::string detail) {
  return Failure{code, std::move(detail), std::string(r.message.message_id), {}};
}

}  // namespace

AnalyticsService::AnalyticsService(AnalyticsSettings settings, store::GroupCommitWriter& writer)
    : settings_(std::move(settings)),
      writer_(writer),
      aggregator_(std::max<std::int64_t>(1, settings_.bucket_seconds), settings_.include_user_ids) {}

void AnalyticsService::start() {
  // Often enough that a closed bucket reaches the store within a second of
  // closing (short buckets) or ten (long ones).
  auto period = std::chrono::seconds(std::clamp<std::int64_t>(settings_.bucket_seconds, 1, 10));
  thread_.start(period, [this] { flush(unix_now_ms()); }, false);
}

void AnalyticsService::stop() {
  thread_.stop();
  if (stopped_) return;
  stopped_ = true;
  flush(unix_now_ms(), true);
}

void AnalyticsService::flush(std::int64_t now_ms, bool everything) {
  auto aggregates = everything ? aggregator_.take_all() : aggregator_.take_closed(now_ms);
  std::int64_t cutoff = 0;
  if (settings_.retention_days > 0 && now_ms - last_prune_ms_ >= kDayMs) {
    last_prune_ms_ = now_ms;
    cutoff = now_ms - static_cast<std::int64_t>(settings_.retention_days) * kDayMs;
  }
  if (aggregates.empty() && cutoff == 0) return;
  // One writer task per flush: the aggregates of a bucket commit together.
  bool queued = writer_.submit([aggregates = std::move(aggregates), cutoff](store::SqliteDatabase& db) {
    write_analytics_aggregates(db, aggregates);
    if (cutoff > 0) prune_analytics_aggregates(db, cutoff);
  });
  if (!queued) spdlog::warn("analytics: the store's queue is full; a flush of aggregates was dropped");
}

bool AnalyticsService::admit(std::uint64_t connection_id, std::int64_t& retry_after_ms) {
  std::lock_guard lock(buckets_mutex_);
  auto it = buckets_.try_emplace(connection_id, settings_.events_per_second, settings_.events_burst).first;
  if (it->second.take()) return true;
  retry_after_ms = static_cast<std::int64_t>(std::ceil(1000.0 / settings_.events_per_second));
  return false;
}

void AnalyticsService::on_unregistered(ClientSession& session) {
  std::lock_guard lock(buckets_mutex_);
  buckets_.erase(session.connection_id());
}

void AnalyticsService::handle(Request& r) {
  if (r.message.payload_string("action") == "query") return query(r);
  record(r);
}

void AnalyticsService::record(Request& r) {
  auto& session = r.session;
  std::int64_t retry_after_ms = 0;
  if (!admit(session.connection_id(), retry_after_ms)) {
    auto& context = session.context();
    std::string id = context.identity.new_message_id();
    std::string now = ServerIdentity::now();
    core::EnvelopeFields f;
    f.message_id = id;
    f.timestamp = now;
    f.from_user_id = context.identity.server_id();
    f.from_device_id = context.identity.node_id();
    f.to_user_id = session.user_id();
    f.to_device_id = session.device_id();
    session.send(r.stream_id,
                 build_too_many_requests(f, r.message.message_id, r.message.session_id,
                                         std::chrono::milliseconds(retry_after_ms)),
                 "ERROR");
    return;
  }
  auto event = parse_analytics_event(r.message);
  if (!event) return session.answer_error(r.stream_id, event.failure());
  if (!settings_.include_user_ids) event.value().user_id.clear();  // never even in memory
  if (!aggregator_.add(event.value(), unix_now_ms()))
    return session.answer_error(r.stream_id, refuse(r, ErrorCode::kServiceUnavailable,
                                                    "ANALYTICS: too many distinct aggregates; try later"));
  session.answer_receipt(r.stream_id, r.message.message_id, "ok");
}

void AnalyticsService::query(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  auto fail = [&](ErrorCode code, std::string detail) { session.answer_error(r.stream_id, refuse(r, code, std::move(detail))); };
  const auto& admins = settings_.server_admins;
  if (std::find(admins.begin(), admins.end(), session.user_id()) == admins.end())
    return fail(ErrorCode::kInsufficientPermissions, "ANALYTICS query: server administrators only");
  AnalyticsFilter filter;
  filter.event_name = std::string(r.message.payload_string("event_name"));
  filter.metric = std::string(r.message.payload_string("metric"));
  if (filter.event_name.size() > kMaxAnalyticsNameBytes || filter.metric.size() > kMaxAnalyticsNameBytes)
    return fail(ErrorCode::kMalformedPayload, "payload.event_name: longer than " + std::to_string(kMaxAnalyticsNameBytes) + " bytes");
  for (auto [key, slot] : {std::pair{"since", &filter.since_ms}, std::pair{"until", &filter.until_ms}}) {
    simdjson::dom::element present;
    if (r.message.payload[key].get(present) || present.is_null()) continue;
    *slot = parse_timestamp_ms(r.message.payload_string(key));
    if (!*slot) return fail(ErrorCode::kMalformedPayload, std::string("payload.") + key + ": expected an ISO 8601 UTC time");
  }
  simdjson::dom::object dimensions;
  if (!r.message.payload["dimensions"].get(dimensions)) {
    std::string error;
    auto canonical = canonical_dimensions(dimensions, error);
    if (!canonical) return fail(ErrorCode::kMalformedPayload, error);
    for (auto field : dimensions) filter.dimensions.emplace_back(std::string(field.key), simdjson::minify(field.value));
  }
  if (!context.reader) return fail(ErrorCode::kServiceUnavailable, "ANALYTICS: no store");
  std::vector<AnalyticsAggregate> found;
  try {
    context.reader->end_open_reads();
    found = read_analytics_aggregates(*context.reader, filter, kMaxAnalyticsQueryAggregates + 1);
  } catch (const std::exception& e) {
    context.reader->end_open_reads();
    return fail(ErrorCode::kDatabaseError, std::string("ANALYTICS: ") + e.what());
  }
  // What is still in memory belongs to the answer too: merged by key.
  std::map<AnalyticsKey, AnalyticsAggregate> merged;
  for (auto& a : found) merged.emplace(a.key, std::move(a));
  for (auto& a : aggregator_.snapshot()) {
    if (!analytics_matches(a, filter)) continue;
    auto [it, fresh] = merged.try_emplace(a.key, a);
    if (!fresh) it->second.merge(a);
  }
  std::string aggregates;
  std::size_t count = 0;
  bool truncated = false;
  for (const auto& [key, a] : merged) {
    std::string json = analytics_aggregate_json(a);
    if (count == kMaxAnalyticsQueryAggregates || aggregates.size() + json.size() + 1 > kAnswerBudget) {
      truncated = true;
      break;
    }
    if (count++) aggregates += ',';
    aggregates += json;
  }
  std::string payload;
  core::JsonWriter w(payload);
  w.begin_object().member("action", "query").member("target_message_id", r.message.message_id);
  if (!filter.event_name.empty()) w.member("event_name", filter.event_name);
  w.member("bucket_seconds", aggregator_.bucket_seconds());
  w.key("histogram_bounds").begin_array();
  for (double bound : kAnalyticsHistogramBounds) w.value(bound);
  w.end_array();
  w.key("aggregates").raw("[" + aggregates + "]");
  w.member("truncated", truncated);
  w.end_object();
  session.answer_data(r.stream_id, "ANALYTICS", payload);
}

}  // namespace qsip::server
