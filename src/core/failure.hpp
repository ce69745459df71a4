// A failure is an error as a value: the code of draft 9.2 and a detail that
// names the offending field ("payload.media_types: required"). Failures are
// carried up to the one place that turns them into ERROR messages.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/error_registry.hpp"

namespace qsip::core {

struct Failure {
  ErrorCode code = ErrorCode::kMalformedPayload;
  std::string detail;
  // Echoed into the ERROR so the sender can correlate it; empty when the
  // message_id could not be read.
  std::string target_message_id;
  std::string session_id;
};

// A value or a Failure. (std::expected is C++23; GCC 12 in C++20 mode lacks it.)
template <typename T>
class Outcome {
 public:
  Outcome(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Outcome(Failure failure) : failure_(std::move(failure)) {}  // NOLINT
  bool ok() const { return !failure_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const Failure& failure() const { return *failure_; }
  Failure& failure() { return *failure_; }

 private:
  std::optional<T> value_;
  std::optional<Failure> failure_;
};

}  // namespace qsip::core
