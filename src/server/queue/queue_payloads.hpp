// The payloads the queue module sends (docs/call-centre.md "Wire shapes"),
// one function each so that action and field names live in one place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/queue/queue_engine.hpp"

namespace qsip::server {

// RECEIPT `enqueued` extras, and get_status's status_info members.
std::string enqueued_receipt(const QueueItem& item, std::size_t position, std::int64_t wait_seconds);
std::string status_payload(std::string_view target_message_id, const QueueItem& item, std::size_t position,
                           std::int64_t wait_seconds);
// Receipt extras naming the item and its state after the action.
std::string item_receipt(const QueueItem& item);
// Server -> agent (A.3 step 4).
std::string offer_item_payload(const QueueItem& item, std::int64_t offer_timeout_seconds);
// Server -> waiting customer: its place moved.
std::string position_update_payload(const QueueItem& item, std::size_t position, std::int64_t wait_seconds);
// Server -> agent or customer: the item left them (`reason`: offer_timeout,
// abandoned, reassigned, resolved, agent_removed).
std::string withdrawn_payload(const QueueItem& item, std::string_view reason);
// Server -> customer (A.3 step 6), a SESSION payload.
std::string agent_connecting_payload(const QueueItem& item, std::string_view agent_display_name);
// ANALYTICS `queue_stats` (supervisors).
std::string queue_stats_payload(const QueueStats& stats, std::string_view target_message_id = {});
// The session the customer and agent are put in: agent_connecting and the
// calls module's INVITE carry it. A session id is never used twice, so each
// call of the item has its own: s-<item_id>, then s-<item_id>-2, -3 ...
std::string item_session_id(const QueueItem& item);

}  // namespace qsip::server
