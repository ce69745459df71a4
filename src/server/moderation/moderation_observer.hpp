// Warnings wait in the store until a device of their user gets one: right
// after each REGISTER, a device gets a server MODERATION warn_user for
// every warning its user has not received yet (at most
// kMaxWarningsAtRegister, oldest first), and they are marked delivered.
#pragma once

#include <cstddef>

#include "server/dispatch/session_observer.hpp"

namespace qsip::server {

inline constexpr std::size_t kMaxWarningsAtRegister = 100;

class ModerationObserver final : public SessionObserver {
 public:
  void on_registered(ClientSession& session) override;
};

}  // namespace qsip::server
