// Splitting a UDP datagram of coalesced QUIC packets (RFC 9000 section
// 12.2) at the end of its long-header packets, so that they and the 1-RTT
// packet after them can be sent as separate datagrams in either order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace qsip::quic {

// Bytes taken by the long-header packets (Initial, 0-RTT, Handshake) at the
// start of `datagram`; whatever follows is one short-header (1-RTT) packet.
// Returns 0 when the datagram starts with a short-header packet, and
// datagram.size() when it holds long-header packets only or a header does
// not parse (then the datagram must be treated as a whole).
size_t long_header_packets_size(std::span<const uint8_t> datagram);

}  // namespace qsip::quic
