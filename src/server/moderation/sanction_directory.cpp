#include "server/moderation/sanction_directory.hpp"

#include <chrono>

#include "core/envelope_builder.hpp"
#include "server/moderation/sanction_store.hpp"

namespace qsip::server::sanction_directory {

namespace {

std::optional<std::int64_t> until(store::SqliteDatabase& db, SanctionKind kind, const std::string& group_id,
                                  const std::string& user_id, std::int64_t now_ms) {
  db.end_open_reads();
  auto sanction = SanctionStore(db).active(kind, group_id, user_id, now_ms);
  if (!sanction) return std::nullopt;
  return sanction->expires_at_ms;
}

}  // namespace

std::optional<std::int64_t> muted_until(store::SqliteDatabase& db, const std::string& group_id,
                                        const std::string& user_id, std::int64_t now_ms) {
  return until(db, SanctionKind::kMute, group_id, user_id, now_ms);
}

std::optional<std::int64_t> banned_until(store::SqliteDatabase& db, const std::string& group_id,
                                         const std::string& user_id, std::int64_t now_ms) {
  return until(db, SanctionKind::kBan, group_id, user_id, now_ms);
}

std::optional<std::string> mute_refusal(store::SqliteDatabase& db, std::string_view field, const std::string& group_id,
                                        const std::string& user_id, std::int64_t now_ms) {
  auto until = muted_until(db, group_id, user_id, now_ms);
  if (!until) return std::nullopt;
  return std::string(field) + ": you are muted in " + group_id + " " + until_text(*until);
}

std::string until_text(std::int64_t until_ms) {
  if (until_ms == 0) return "until lifted";
  return "until " + core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(until_ms)));
}

}  // namespace qsip::server::sanction_directory
