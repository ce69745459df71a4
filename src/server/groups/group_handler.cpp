#include "server/groups/group_handler.hpp"

#include "server/accounts/account_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/groups/group_actions.hpp"
#include "server/groups/notice_delivery.hpp"
#include "server/moderation/sanction_directory.hpp"
#include "server/moderation/sanction_store.hpp"

namespace qsip::server {

using core::ErrorCode;

void GroupHandler::handle(Request& request) {
  auto& session = request.session;
  auto& context = session.context();
  const auto& msg = request.message;
  auto fail = [&](ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id, core::Failure{code, std::move(detail), std::string(msg.message_id), {}});
  };
  auto parsed = read_group_request(msg, session.user_id(), unix_now_ms());
  if (!parsed) return session.answer_error(request.stream_id, parsed.failure());
  GroupRequest& group_request = parsed.value();
  const bool reads_only = is_read_action(group_request.action);

  GroupOutcome outcome;
  try {
    if (reads_only) {
      if (!context.reader) return fail(ErrorCode::kServiceUnavailable, "GROUP: no store");
      context.reader->end_open_reads();
      GroupStore groups(*context.reader);
      outcome = apply_group_action(groups, group_request, [](const std::string&) { return false; });
    } else {
      if (!context.writer) return fail(ErrorCode::kServiceUnavailable, "GROUP: no store");
      // Drawn here: the writer thread must not share the worker's id generator.
      if (group_request.action == GroupAction::kCreate)
        group_request.fallback_group_id = "g-" + context.identity.new_message_id();
      // Check and write in one writer task: two workers' changes to the same
      // group cannot interleave, and the answer means "committed".
      context.writer->run_sync([&](store::SqliteDatabase& db) {
        const AccountCheck has_account = [&db](const std::string& user) {
          bool found = AccountStore(db).user(user).has_value();
          db.end_open_reads();
          return found;
        };
        // Moderation's bans keep a user out (docs/moderation.md "Effects").
        const BanCheck banned = [&db, now = group_request.now_ms](const std::string& group, const std::string& user)
            -> std::optional<std::string> {
          auto ban = SanctionStore(db).active(SanctionKind::kBan, group, user, now);
          if (!ban) return std::nullopt;
          return sanction_directory::until_text(ban->expires_at_ms);
        };
        GroupStore groups(db);
        outcome = apply_group_action(groups, group_request, has_account, banned);
        append_audits(db, outcome.audits, session);
      });
    }
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDatabaseError, std::string("GROUP: ") + e.what());
  }
  if (outcome.error) return fail(*outcome.error, outcome.detail);
  if (reads_only) {
    session.answer_data(request.stream_id, "GROUP", outcome.data_json);
  } else {
    session.answer_receipt(request.stream_id, msg.message_id, outcome.status, outcome.receipt_json);
  }
  send_notices(context, "GROUP", outcome.notices, session.connection_id());
}

}  // namespace qsip::server
