// The opaque session ticket blob a client application stores to resume a
// connection with 0-RTT: the GnuTLS session data plus the server transport
// parameters that 0-RTT must respect (RFC 9000 section 7.4.1).
#pragma once

#include <ngtcp2/ngtcp2.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace qsip::quic {

struct SessionTicket {
  std::vector<uint8_t> tls_session;  // gnutls_session_get_data2 output
  ngtcp2_transport_params params{};  // only the 0-RTT-remembered fields are kept
};

// Serializes a ticket; the format is versioned with a magic prefix.
std::vector<uint8_t> encode_session_ticket(std::span<const uint8_t> tls_session,
                                           const ngtcp2_transport_params& server_params);

// Parses a blob made by encode_session_ticket. Returns std::nullopt when the
// blob is truncated, has another magic, or is otherwise malformed; the
// caller then connects with a full handshake.
std::optional<SessionTicket> decode_session_ticket(std::span<const uint8_t> blob);

}  // namespace qsip::quic
