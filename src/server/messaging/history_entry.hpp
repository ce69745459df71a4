// How SYNC (and later exports) show a stored message: its envelope's
// identity and routing, its payload as it is now (after edits), its state
// (Appendix B), and what happened to it since: edits, deletion, reactions.
// docs/messaging.md "SYNC".
#pragma once

#include "core/json_writer.hpp"
#include "store/message_store.hpp"

namespace qsip::server {

// Writes one entry (a JSON object) to `w`.
void write_history_entry(core::JsonWriter& w, const store::MessageNow& m);

// The wire name of a message state: delivered_to_server, delivered_to_client, read, failed.
const char* state_name(store::MessageState state);

}  // namespace qsip::server
