// SESSION select_layer (docs/calls.md "Simulcast", draft 7.4): a receiver
// asks for one layer (`rid`) of another participant's simulcast track
// (`track_id`, plus `user_id` when several participants use that track id);
// no `rid` goes back to the choice by bandwidth. Recorded in the session
// (layer_requests); the media relay follows it from the next publication of
// the session's routes. Refusals are 4001 naming the field.
#pragma once

#include <simdjson.h>

#include <optional>

#include "core/failure.hpp"
#include "server/calls/call_session.hpp"

namespace qsip::server::calls {

std::optional<core::Failure> select_layer(CallSession& session, const Participant& me, simdjson::dom::object payload);

}  // namespace qsip::server::calls
