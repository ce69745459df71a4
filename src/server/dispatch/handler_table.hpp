// One slot per message type: which module handles it. A type with no
// handler is answered with ERROR 4052 ActionNotSupported, never dropped.
#pragma once

#include <array>

#include "core/message_type.hpp"
#include "server/dispatch/handler.hpp"

namespace qsip::server {

class HandlerTable {
 public:
  void set(core::MessageType type, Handler* handler) { slots_[index(type)] = handler; }
  Handler* find(core::MessageType type) const { return slots_[index(type)]; }

 private:
  static std::size_t index(core::MessageType t) { return static_cast<std::size_t>(t); }
  std::array<Handler*, core::kRegisteredTypeCount + 1> slots_{};  // + custom types
};

}  // namespace qsip::server
