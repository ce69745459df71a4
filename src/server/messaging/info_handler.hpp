// INFO (draft 5.13), typing indicators and other transient notices: relayed
// to the recipient's online devices as droppable traffic (the first thing
// shed under back-pressure), never stored, never answered unless refused.
// Each connection may send a few a second (a burst of 10, 5 a second);
// beyond that they are dropped silently: a typing indicator is worth
// nothing late.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "server/dispatch/handler.hpp"
#include "server/dispatch/session_observer.hpp"
#include "server/dispatch/token_bucket.hpp"
#include "server/messaging/direct_message_rules.hpp"

namespace qsip::server {

class InfoHandler final : public Handler, public SessionObserver {
 public:
  InfoHandler(unsigned workers, DirectMessageRules rules) : budgets_(workers), rules_(rules) {}
  void handle(Request& request) override;
  void on_unregistered(ClientSession& session) override;

  static constexpr double kPerSecond = 5;
  static constexpr double kBurst = 10;

 private:
  // Per worker (touched only there), by connection id.
  std::vector<std::unordered_map<std::uint64_t, TokenBucket>> budgets_;
  DirectMessageRules rules_;
};

}  // namespace qsip::server
