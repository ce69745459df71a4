#include "server/workspaces/workspace_handler.hpp"

#include "server/accounts/account_store.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/groups/notice_delivery.hpp"
#include "server/workspaces/workspace_actions.hpp"

namespace qsip::server {

using core::ErrorCode;

void WorkspaceHandler::handle(Request& request) {
  auto& session = request.session;
  auto& context = session.context();
  const auto& msg = request.message;
  auto fail = [&](ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id, core::Failure{code, std::move(detail), std::string(msg.message_id), {}});
  };
  auto parsed = read_workspace_request(msg, session.user_id(), unix_now_ms());
  if (!parsed) return session.answer_error(request.stream_id, parsed.failure());
  const WorkspaceRequest& workspace_request = parsed.value();
  const bool reads_only = is_read_action(workspace_request.action);

  WorkspaceOutcome outcome;
  try {
    if (reads_only) {
      if (!context.reader) return fail(ErrorCode::kServiceUnavailable, "WORKSPACE: no store");
      context.reader->end_open_reads();
      outcome = apply_workspace_action(*context.reader, workspace_request, [](const std::string&) { return false; });
      context.reader->end_open_reads();
    } else {
      if (!context.writer) return fail(ErrorCode::kServiceUnavailable, "WORKSPACE: no store");
      context.writer->run_sync([&](store::SqliteDatabase& db) {
        const WorkspaceAccountCheck has_account = [&db](const std::string& user) {
          bool found = AccountStore(db).user(user).has_value();
          db.end_open_reads();
          return found;
        };
        outcome = apply_workspace_action(db, workspace_request, has_account);
        append_audits(db, outcome.audits, session);
      });
    }
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDatabaseError, std::string("WORKSPACE: ") + e.what());
  }
  if (outcome.error) return fail(*outcome.error, outcome.detail);
  if (reads_only) {
    session.answer_data(request.stream_id, "WORKSPACE", outcome.data_json);
  } else {
    session.answer_receipt(request.stream_id, msg.message_id, "ok", outcome.receipt_json);
  }
  send_notices(context, "WORKSPACE", outcome.notices, session.connection_id());
  send_notices(context, "GROUP", outcome.group_notices, session.connection_id());
}

}  // namespace qsip::server
