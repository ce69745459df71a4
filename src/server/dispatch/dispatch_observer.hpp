// What the dispatcher reports for metrics (messages in by type, errors by
// code, request latency). The metrics module implements it; a no-op default
// keeps the dispatcher usable alone.
#pragma once

#include <chrono>
#include <string_view>

#include "core/error_registry.hpp"

namespace qsip::server {

class DispatchObserver {
 public:
  virtual ~DispatchObserver() = default;
  virtual void message_in(std::string_view /*type*/, std::size_t /*bytes*/) {}
  virtual void message_out(std::string_view /*type*/, std::size_t /*bytes*/) {}
  virtual void error_sent(core::ErrorCode /*code*/) {}
  virtual void request_handled(std::chrono::nanoseconds /*latency*/) {}
};

}  // namespace qsip::server
