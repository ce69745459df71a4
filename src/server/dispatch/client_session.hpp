// The QSIP state of one client connection: its streams' frame decoders, its
// primary stream, whether it has registered and as whom. Every frame goes
// through here: decoded, validated, checked for registration and identity,
// then handed to the handler of its type. Failures become ERROR answers on
// the stream that carried the request; the connection lives on unless the
// peer keeps sending garbage.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/failure.hpp"
#include "core/frame_decoder.hpp"
#include "core/message_validator.hpp"
#include "server/dispatch/dispatch_observer.hpp"
#include "server/dispatch/handler_table.hpp"
#include "server/dispatch/outbound.hpp"
#include "server/dispatch/raw_streams.hpp"
#include "server/dispatch/request_rate_limiter.hpp"
#include "server/dispatch/server_identity.hpp"
#include "server/dispatch/session_observer.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

// Shared by every session of one worker thread (never across threads).
struct WorkerContext {
  core::MessageValidator validator;
  HandlerTable handlers;
  ServerIdentity identity;
  unsigned worker_index = 0;  // which worker owns this context (modules keep per-worker state by it)
  DispatchObserver* observer = nullptr;
  // Shared by all workers: who is online where, and how to reach them.
  DeviceDirectory* directory = nullptr;
  ConnectionMailer* mailer = nullptr;
  // The store: this worker's own read connection, and the one shared writer.
  store::SqliteDatabase* reader = nullptr;
  store::GroupCommitWriter* writer = nullptr;
  // Told of registrations and disconnects, in order (shared, thread-safe objects).
  std::vector<SessionObserver*> observers;
  // A peer may cause this many protocol failures in a burst, refilled at
  // failure_refill_per_second; beyond that it is abusive and disconnected.
  double failure_burst = 50;
  double failure_refill_per_second = 5;
  // Per-connection limits on valid messages ([limits]; request_rate_limiter.hpp).
  RequestLimits request_limits;
  // Takes the streams whose first frame is a `file_transfer` header
  // (raw_streams.hpp); nullptr: such frames are ordinary (invalid) messages.
  RawStreamHandler* streams = nullptr;

  WorkerContext(std::string server_id, std::string node_id) : identity(std::move(server_id), std::move(node_id)) {}
};

// QUIC application error codes the dispatcher closes connections with
// (docs/wire-format.md lists every code; 0x0-0x0f belong to src/quic/app_error.hpp).
inline constexpr std::uint64_t kAppErrorAbusivePeer = 0x10;
inline constexpr std::uint64_t kAppErrorPrimaryStreamClosed = 0x11;
// The same device registered on a newer connection, which replaces this one.
inline constexpr std::uint64_t kAppErrorReplaced = 0x12;
// The token the connection registered with was revoked, or its account suspended.
inline constexpr std::uint64_t kAppErrorRevoked = 0x13;

class ClientSession {
 public:
  // `connection_id` names the transport connection (quic::Connection::id()).
  ClientSession(WorkerContext& context, Outbound& outbound, std::uint64_t connection_id = 0);
  ~ClientSession();  // leaves the device directory
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // Stream bytes from the transport, in order per stream.
  void on_stream_data(std::int64_t stream_id, std::string_view bytes, bool fin, bool early_data);
  void on_stream_closed(std::int64_t stream_id);
  // The handshake is confirmed: 0-RTT requests held back as possible replays
  // are dispatched now, in order.
  void on_handshake_confirmed();

  // Identity, set by the registration module once REGISTER succeeds.
  bool registered() const { return registered_; }
  const std::string& user_id() const { return user_id_; }
  const std::string& device_id() const { return device_id_; }
  // `token_expires_at` (Unix seconds): after it, every message but REGISTER
  // gets 4012 TokenExpired until a REGISTER brings a fresh token (draft 8.3).
  void set_registered(std::string user_id, std::string device_id, std::int64_t token_expires_at);
  void set_unregistered() { registered_ = false; }

  // The peer's IP address as text (no port), for audit events; empty when
  // the transport did not say.
  const std::string& peer_address() const { return peer_address_; }
  void set_peer_address(std::string address) { peer_address_ = std::move(address); }

  std::int64_t primary_stream() const { return primary_stream_; }
  std::uint64_t connection_id() const { return connection_id_; }
  WorkerContext& context() { return context_; }

  // Answers (wire profile 4) on the request's stream.
  void answer_error(std::int64_t stream_id, const core::Failure& failure);
  void answer_receipt(std::int64_t stream_id, std::string_view target_message_id, std::string_view status,
                      std::string_view extra_json = {});
  // Success with data (wire profile 4): a message of the request's own type
  // from the server, whose payload (`payload_json`, an object) carries
  // target_message_id.
  void answer_data(std::int64_t stream_id, std::string_view type_name, std::string_view payload_json);
  // A message the server originates or forwards, on the primary stream (wire profile 3).
  SendResult push(FrameBytes frame, Delivery delivery);
  // Any pre-built message on a given stream.
  SendResult send(std::int64_t stream_id, const std::string& json, std::string_view type_name);

  void close(std::uint64_t app_error_code, std::string_view reason) { outbound_.close(app_error_code, reason); }

  // Streams handed over to WorkerContext::streams, and writing raw bytes on them.
  RawStreams& raw_streams() { return raw_; }

 private:
  class StreamSink;
  void on_frame(std::int64_t stream_id, core::FrameDecoder::Event event, std::string_view body,
                std::string_view frame, std::uint64_t declared_length, bool early_data);
  void dispatch(std::int64_t stream_id, const core::MessageView& message, std::string_view frame, bool early_data);
  void protocol_failure(std::int64_t stream_id, const core::Failure& failure);
  core::EnvelopeFields answer_fields(std::string& id_storage, std::string& time_storage) const;
  bool claim_raw_stream(std::int64_t stream_id, std::string_view body, std::size_t frame_size, bool early_data);
  void on_raw_bytes(std::int64_t stream_id, std::string_view bytes, bool fin);

  WorkerContext& context_;
  Outbound& outbound_;
  std::uint64_t connection_id_;
  std::map<std::int64_t, core::FrameDecoder> decoders_;
  std::int64_t primary_stream_ = -1;
  bool registered_ = false;
  std::string user_id_;
  std::string device_id_;
  std::string peer_address_;
  std::int64_t token_expires_at_ = 0;
  // 0-RTT frames of types that a replay could harm, held until the handshake
  // is confirmed (wire profile 1). Bounded: beyond it the peer is abusive.
  struct HeldFrame {
    std::int64_t stream_id;
    std::string frame;
    std::size_t body_offset;
  };
  std::vector<HeldFrame> held_early_;
  std::size_t held_early_bytes_ = 0;
  bool handshake_confirmed_ = false;
  double failure_tokens_;
  std::chrono::steady_clock::time_point last_refill_;
  RequestRateLimiter rate_limiter_;
  RawStreams raw_;
};

}  // namespace qsip::server
