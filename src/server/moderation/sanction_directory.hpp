// What other modules ask of moderation (docs/moderation.md "Effects"): the
// messaging module refuses a muted user's MESSAGE and INFO to a group, the
// groups module refuses join / invite / approve_join of a banned user.
// Free functions over a read connection the caller owns; each first ends
// the connection's open reads, so it sees everything committed so far.
// Expiry is exact: a sanction whose time passed is not in force, whether or
// not the expiry thread has marked it lifted yet.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server::sanction_directory {

// When the mute of `user_id` in `group_id` ends (Unix ms; 0: until
// unmuted), nullopt when the user is not muted there at `now_ms`.
std::optional<std::int64_t> muted_until(store::SqliteDatabase& db, const std::string& group_id,
                                        const std::string& user_id, std::int64_t now_ms);

// The same for a ban from `group_id`.
std::optional<std::int64_t> banned_until(store::SqliteDatabase& db, const std::string& group_id,
                                         const std::string& user_id, std::int64_t now_ms);

// The ERROR detail refusing a muted user's MESSAGE or INFO to `group_id`
// (4031), naming `field` (to.group_id or to.channel_id) and when the mute
// ends; nullopt when the user is not muted there.
std::optional<std::string> mute_refusal(store::SqliteDatabase& db, std::string_view field, const std::string& group_id,
                                        const std::string& user_id, std::int64_t now_ms);

// "until 2026-12-06T21:30:00.000Z" or "until lifted", for ERROR details.
std::string until_text(std::int64_t until_ms);

}  // namespace qsip::server::sanction_directory
