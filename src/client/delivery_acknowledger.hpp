// What libqsip does with durable events from the server (docs/messaging.md,
// docs/client.md): it acknowledges every MESSAGE, MESSAGE_ACTION and
// REACTION with RECEIPT delivered_to_client, so the server moves this
// device's cursor and tells the sender, and it hands each event to the
// application once: delivery is at least once (a reconnect may bring an
// event again), so repeats of (from.user_id, message_id) are acknowledged
// but not delivered twice (wire profile 6).
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>

#include "qsip/message.hpp"

namespace qsip::client {

class DeliveryAcknowledger {
 public:
  // `remember`: how many recent events are kept for de-duplication.
  explicit DeliveryAcknowledger(std::size_t remember = 16384);

  // Who acknowledges: taken from each REGISTER the client sends.
  void set_identity(std::string user_id, std::string device_id);
  void set_identity_from_register(const std::string& register_json);

  // True for the types the server keeps in its stream.
  static bool is_durable(const Message& m);
  // The RECEIPT to send for `m` (nullopt when `m` needs none or no
  // identity is known yet).
  std::optional<std::string> receipt_for(const Message& m);
  // True the first time (from.user_id, message_id) is seen.
  bool first_time(const Message& m);

 private:
  std::string user_id_;
  std::string device_id_;
  std::size_t remember_;
  std::unordered_set<std::string> seen_;
  std::deque<std::string> order_;  // oldest first, for eviction
  std::mt19937_64 random_;
};

}  // namespace qsip::client
