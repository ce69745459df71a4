// libqsip: a QSIP message as the client library hands it to applications:
// it owns its JSON text and gives typed access to the envelope and payload.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace qsip {

class Message {
 public:
  // Parses `json` (one QSIP message). Returns nullopt when it is not a JSON
  // object with a string `type` and an object `payload`; no further
  // validation (clients accept actions and statuses they do not know).
  static std::optional<Message> parse(std::string json);

  Message(const Message&);
  Message& operator=(const Message&);
  Message(Message&&) noexcept;
  Message& operator=(Message&&) noexcept;
  ~Message();

  const std::string& json() const;
  std::string_view type() const;
  std::string_view message_id() const;
  std::string_view session_id() const;     // empty when absent
  std::string_view from_user_id() const;
  std::string_view from_device_id() const;

  // Payload members by name; nullopt when absent or of another JSON kind.
  std::optional<std::string_view> payload_string(std::string_view key) const;
  std::optional<std::int64_t> payload_int(std::string_view key) const;
  std::optional<bool> payload_bool(std::string_view key) const;
  // Any payload member as JSON text (objects, arrays ...).
  std::optional<std::string> payload_json(std::string_view key) const;

  // An ERROR's code (0 for other types).
  int error_code() const;
  bool is_error() const { return type() == "ERROR"; }

 private:
  struct Impl;
  explicit Message(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qsip
