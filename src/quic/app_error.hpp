// Application error codes the QUIC endpoint itself uses in CONNECTION_CLOSE
// and RESET_STREAM frames. QSIP layers above may define more; these are the
// ones a peer sees when the transport layer decides to end a connection.
#pragma once

#include <cstdint>

namespace qsip::quic {

// Normal close requested by the application with nothing more to say.
inline constexpr uint64_t kAppErrorNoError = 0x0;
// The server is shutting down (graceful stop); reconnect later or elsewhere.
inline constexpr uint64_t kAppErrorGoingAway = 0x1;
// The peer stopped reading: the connection's send queue passed the hard
// bound (ServerConfig::send_queue_hard_limit) and the server closed it.
inline constexpr uint64_t kAppErrorSendQueueOverflow = 0x2;
// The peer broke the application protocol (used by the layers above).
inline constexpr uint64_t kAppErrorProtocolViolation = 0x3;
// The endpoint ran into an internal failure for this connection.
inline constexpr uint64_t kAppErrorInternal = 0x4;
// A stream was reset because the application abandoned it.
inline constexpr uint64_t kAppErrorStreamCancelled = 0x5;

// TLS alert no_application_protocol (120) as a QUIC CRYPTO_ERROR transport
// code (0x100 + alert): what a client offering no "qsip/1" is closed with.
inline constexpr uint64_t kTransportErrorNoApplicationProtocol = 0x100 + 120;

}  // namespace qsip::quic
