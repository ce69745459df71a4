// Limits of the wire profile that every component shares.
#pragma once

#include <cstddef>

namespace qsip::core {

inline constexpr std::size_t kMaxFrameBytes = 65536;  // wire profile 2
inline constexpr std::size_t kMinIdBytes = 1;         // wire profile 6
inline constexpr std::size_t kMaxIdBytes = 256;
// JSON nesting (objects and arrays, the message itself being depth 1) beyond
// which a message is refused with 4001. Real messages nest below 10; the
// bound keeps hostile input from costing stack or time.
inline constexpr std::size_t kMaxJsonDepth = 64;

}  // namespace qsip::core
