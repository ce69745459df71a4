// Builds QSIP envelopes (draft 4.1) around a payload. The typed payload
// builders (generated from the type table into payload_builders.hpp) produce
// the payload; this writes the rest. No clock and no randomness here: the
// caller supplies message_id and timestamp.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/failure.hpp"

namespace qsip::core {

struct EnvelopeFields {
  std::string_view message_id{};
  std::string_view timestamp{};
  std::string_view type{};
  std::string_view from_user_id{};
  std::string_view from_device_id{};
  std::string_view from_display_name{};  // omitted when empty
  std::string_view to_user_id{};         // each omitted when empty
  std::string_view to_group_id{};
  std::string_view to_channel_id{};
  std::string_view to_call_center_id{};
  std::string_view to_server_id{};
  std::string_view to_device_id{};
  std::string_view session_id{};         // omitted when empty
};

// The envelope with `payload_json` (a JSON object) as its payload.
std::string build_envelope(const EnvelopeFields& fields, std::string_view payload_json);
void append_envelope(std::string& out, const EnvelopeFields& fields, std::string_view payload_json);

// The ERROR message (draft 5.22) for a failure. `fields` gives the answering
// side's from, the message_id and timestamp of the ERROR and whom it goes to;
// its type and session_id are taken from the failure.
std::string build_error(const Failure& failure, EnvelopeFields fields);

// A RECEIPT answering `target_message_id` with `status` (wire profile 4);
// `extra_json` is either empty or a JSON object whose members are added to the payload.
std::string build_receipt(EnvelopeFields fields, std::string_view target_message_id, std::string_view status,
                          std::string_view extra_json = {});

// "2025-06-01T00:43:25.123Z" for a point in time (millisecond precision).
std::string format_timestamp(std::chrono::system_clock::time_point t);

}  // namespace qsip::core
