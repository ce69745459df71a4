#include "server/groups/channel_handler.hpp"

#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/groups/channel_actions.hpp"
#include "server/groups/notice_delivery.hpp"

namespace qsip::server {

using core::ErrorCode;

void ChannelHandler::handle(Request& request) {
  auto& session = request.session;
  auto& context = session.context();
  const auto& msg = request.message;
  auto fail = [&](ErrorCode code, std::string detail) {
    session.answer_error(request.stream_id, core::Failure{code, std::move(detail), std::string(msg.message_id), {}});
  };
  auto parsed = read_channel_request(msg, session.user_id(), unix_now_ms());
  if (!parsed) return session.answer_error(request.stream_id, parsed.failure());
  const ChannelRequest& channel_request = parsed.value();
  const bool reads_only = is_read_action(channel_request.action);

  GroupOutcome outcome;
  try {
    if (reads_only) {
      if (!context.reader) return fail(ErrorCode::kServiceUnavailable, "CHANNEL: no store");
      context.reader->end_open_reads();
      GroupStore groups(*context.reader);
      outcome = apply_channel_action(groups, channel_request);
      context.reader->end_open_reads();
    } else {
      if (!context.writer) return fail(ErrorCode::kServiceUnavailable, "CHANNEL: no store");
      context.writer->run_sync([&](store::SqliteDatabase& db) {
        GroupStore groups(db);
        outcome = apply_channel_action(groups, channel_request);
        append_audits(db, outcome.audits, session);
      });
    }
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDatabaseError, std::string("CHANNEL: ") + e.what());
  }
  if (outcome.error) return fail(*outcome.error, outcome.detail);
  if (reads_only) {
    session.answer_data(request.stream_id, "CHANNEL", outcome.data_json);
  } else {
    session.answer_receipt(request.stream_id, msg.message_id, outcome.status, outcome.receipt_json);
  }
  send_notices(context, "GROUP", outcome.notices, session.connection_id());
}

}  // namespace qsip::server
