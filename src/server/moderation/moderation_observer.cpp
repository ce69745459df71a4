#include "server/moderation/moderation_observer.hpp"

#include <vector>

#include "server/dispatch/client_session.hpp"
#include "server/dispatch/iso_time.hpp"
#include "server/moderation/moderation_notice.hpp"
#include "server/moderation/sanction_store.hpp"
#include "server/roster/server_message.hpp"

namespace qsip::server {

void ModerationObserver::on_registered(ClientSession& session) {
  auto& context = session.context();
  if (!context.reader || !context.writer) return;
  std::vector<Warning> warnings;
  try {
    context.reader->end_open_reads();
    warnings = SanctionStore(*context.reader).undelivered_warnings(session.user_id(), kMaxWarningsAtRegister);
  } catch (const std::exception&) {
    return;  // a failing store: the warnings stay, for the next REGISTER
  }
  if (warnings.empty()) return;
  std::vector<std::int64_t> delivered;
  for (const auto& w : warnings) {
    auto payload = moderation_notice_payload({ModerationAction::kWarn, w.user_id, w.group_id, w.reason, 0, w.by_user_id});
    if (session.push(server_message_frame(context.identity, "MODERATION", w.user_id, payload), Delivery::kReliable) ==
        SendResult::kQueued)
      delivered.push_back(w.id);
  }
  if (delivered.empty()) return;
  context.writer->submit([delivered = std::move(delivered), now = unix_now_ms()](store::SqliteDatabase& db) {
    SanctionStore store(db);
    for (auto id : delivered) store.mark_warning_delivered(id, now);
  });
}

}  // namespace qsip::server
