// The one time source of the QUIC endpoint: monotonic nanoseconds, the unit
// ngtcp2 wants for every timestamp.
#pragma once

#include <cstdint>
#include <ctime>

namespace qsip::quic {

inline uint64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace qsip::quic
