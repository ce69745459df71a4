// Waiting in end-to-end tests: for a message a client receives, or for a
// condition to hold, with a deadline (never a fixed sleep).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "qsip/client.hpp"

namespace qsip::test {

// The next message on `client` that `match` accepts (others are skipped:
// SYNC notices of other devices, presence of other contacts ...).
inline std::optional<Message> wait_for(Client& client, const std::function<bool(const Message&)>& match,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) return std::nullopt;
    auto m = client.receive(left);
    if (!m) return std::nullopt;
    if (match(*m)) return m;
  }
}

// Polls `pred` until it holds or `timeout` passes; returns its last value.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace qsip::test
