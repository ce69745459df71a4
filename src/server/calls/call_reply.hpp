// How a calls request is answered: collected by the action under the
// registry lock, sent by CallService::handle after it (RECEIPT or ERROR).
// Shared by the files that implement CallService's actions.
#pragma once

#include <optional>
#include <string>

#include "core/failure.hpp"
#include "server/calls/call_service.hpp"

namespace qsip::server::calls {

struct CallService::Reply {
  std::optional<core::Failure> failure;
  std::string status = "ok";
  std::string state;          // the sender's resulting state
  std::string extra_members;  // more members for the RECEIPT: a JSON object
  bool silent = false;        // no answer (an ERROR from a client)

  void fail(core::ErrorCode code, std::string detail) { failure = core::Failure{code, std::move(detail), {}, {}}; }
};

}  // namespace qsip::server::calls
