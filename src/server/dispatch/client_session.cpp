#include "server/dispatch/client_session.hpp"

#include <algorithm>
#include <ctime>

namespace qsip::server {

using core::ErrorCode;

namespace {
constexpr std::size_t kMaxHeldEarlyBytes = 256 * 1024;
}  // namespace
using core::Failure;

class ClientSession::StreamSink : public core::FrameDecoder::Sink {
 public:
  StreamSink(ClientSession& session, std::int64_t stream_id, bool early)
      : session_(session), stream_id_(stream_id), early_(early) {}
  void on_frame(core::FrameDecoder::Event event, std::string_view body, std::string_view frame,
                std::uint64_t declared_length) override {
    session_.on_frame(stream_id_, event, body, frame, declared_length, early_);
  }

 private:
  ClientSession& session_;
  std::int64_t stream_id_;
  bool early_;
};

ClientSession::ClientSession(WorkerContext& context, Outbound& outbound, std::uint64_t connection_id)
    : context_(context),
      outbound_(outbound),
      connection_id_(connection_id),
      failure_tokens_(context.failure_burst),
      last_refill_(std::chrono::steady_clock::now()),
      rate_limiter_(context.request_limits, last_refill_) {}

ClientSession::~ClientSession() {
  for (auto stream_id : raw_.handler_streams()) context_.streams->on_stream_aborted(*this, stream_id);
  if (!registered_) return;
  for (auto* observer : context_.observers) observer->on_unregistered(*this);
  if (context_.directory) context_.directory->detach(user_id_, device_id_, connection_id_);
}

void ClientSession::set_registered(std::string user_id, std::string device_id, std::int64_t token_expires_at) {
  registered_ = true;
  token_expires_at_ = token_expires_at;
  user_id_ = std::move(user_id);
  device_id_ = std::move(device_id);
}

void ClientSession::on_stream_data(std::int64_t stream_id, std::string_view bytes, bool fin, bool early_data) {
  if (raw_.owns(stream_id)) return on_raw_bytes(stream_id, bytes, fin);
  // The first bidirectional stream the client opens is its primary stream.
  if (primary_stream_ < 0) primary_stream_ = stream_id;
  // Stream 0, the client's first bidirectional stream, is never handed over.
  if (stream_id != 0 && context_.streams && !decoders_.contains(stream_id)) raw_.watch(stream_id);
  auto& decoder = decoders_[stream_id];
  StreamSink sink(*this, stream_id, early_data);
  decoder.feed(bytes, sink);
  // Handed over by its first frame: what followed that frame is raw.
  if (auto raw_start = raw_.after_feed(stream_id, bytes.size())) {
    decoders_.erase(stream_id);
    return on_raw_bytes(stream_id, bytes.substr(*raw_start), fin);
  }
  if (fin) on_stream_closed(stream_id);
}

void ClientSession::on_stream_closed(std::int64_t stream_id) {
  if (raw_.to_handler(stream_id)) context_.streams->on_stream_aborted(*this, stream_id);
  raw_.forget(stream_id);
  decoders_.erase(stream_id);
  // Closing the primary stream ends the QSIP session (wire profile 3).
  if (stream_id == primary_stream_) close(kAppErrorPrimaryStreamClosed, "primary stream closed");
}

void ClientSession::on_handshake_confirmed() {
  handshake_confirmed_ = true;
  auto held = std::move(held_early_);
  held_early_.clear();
  held_early_bytes_ = 0;
  for (auto& h : held) {
    std::string_view frame(h.frame);
    h.frame.append(simdjson::SIMDJSON_PADDING, '\0');  // padding for an in-place parse
    frame = std::string_view(h.frame.data(), frame.size());
    on_frame(h.stream_id, core::FrameDecoder::Event::kFrame, frame.substr(h.body_offset), frame, 0, false);
  }
}

void ClientSession::on_frame(std::int64_t stream_id, core::FrameDecoder::Event event, std::string_view body,
                             std::string_view frame, std::uint64_t declared_length, bool early_data) {
  using Event = core::FrameDecoder::Event;
  if (raw_.owns(stream_id)) return;  // raw bytes the decoder saw after a handed-over header
  if (raw_.first_frame(stream_id) && event == Event::kFrame && claim_raw_stream(stream_id, body, frame.size(), early_data))
    return;
  if (event == Event::kEmptyFrame) {
    protocol_failure(stream_id, Failure{ErrorCode::kMalformedPayload, "frame: length 0", {}, {}});
    return;
  }
  if (event == Event::kOversizeFrame) {
    protocol_failure(stream_id, Failure{ErrorCode::kMessageTooLarge,
                                        "frame: length " + std::to_string(declared_length) + ", more than 65536",
                                        {},
                                        {}});
    return;
  }
  if (early_data && !handshake_confirmed_) {
    auto type = context_.validator.validate(body, true);
    // Replaying REGISTER or PRESENCE changes nothing; anything else waits.
    bool harmless = type && (type->type == core::MessageType::kRegister || type->type == core::MessageType::kPresence);
    if (!harmless) {
      held_early_bytes_ += frame.size();
      if (held_early_bytes_ > kMaxHeldEarlyBytes) return close(kAppErrorAbusivePeer, "too much 0-RTT data");
      held_early_.push_back(HeldFrame{stream_id, std::string(frame), frame.size() - body.size()});
      return;
    }
  }
  auto outcome = context_.validator.validate(body, /*padded=*/true);
  if (!outcome) {
    protocol_failure(stream_id, outcome.failure());
    return;
  }
  dispatch(stream_id, outcome.value(), frame, early_data);
}

void ClientSession::dispatch(std::int64_t stream_id, const core::MessageView& message, std::string_view frame,
                             bool early_data) {
  auto started = std::chrono::steady_clock::now();
  if (context_.observer) context_.observer->message_in(message.type_name, frame.size());
  auto fail = [&](ErrorCode code, std::string detail) {
    answer_error(stream_id, Failure{code, std::move(detail), std::string(message.message_id), std::string(message.session_id)});
  };
  // Draft 12: every message counts, REGISTER included, before any work is done for it.
  auto verdict = rate_limiter_.admit(frame.size(), started);
  if (verdict.action == RequestRateLimiter::Action::kDisconnect)
    return close(kAppErrorAbusivePeer, "request rate far past the limit");
  if (verdict.action == RequestRateLimiter::Action::kRefuse) {
    std::string id, time;
    if (context_.observer) context_.observer->error_sent(ErrorCode::kTooManyRequests);
    send(stream_id, build_too_many_requests(answer_fields(id, time), message.message_id, message.session_id, verdict.retry_after),
         "ERROR");
    return;
  }
  if (message.type != core::MessageType::kRegister) {
    if (!registered_) return fail(ErrorCode::kRegistrationRequired, "REGISTER first");
    if (message.from_user_id != user_id_ || message.from_device_id != device_id_)
      return fail(ErrorCode::kInsufficientPermissions,
                  "from: must be the registered user and device (" + user_id_ + "/" + device_id_ + ")");
    if (std::time(nullptr) > token_expires_at_)
      return fail(ErrorCode::kTokenExpired, "auth_token: expired; send REGISTER with a fresh token");
  }
  Handler* handler = context_.handlers.find(message.type);
  if (!handler)
    return fail(ErrorCode::kActionNotSupported, std::string(message.type_name) + ": not handled by this server");
  Request request{*this, stream_id, message, frame, early_data};
  handler->handle(request);
  if (context_.observer) context_.observer->request_handled(std::chrono::steady_clock::now() - started);
}

// A stream whose first frame is a file_transfer header leaves QSIP framing
// (raw_streams.hpp). The header is not an envelope, but the session's rules
// hold for it as for any message: REGISTER first, a valid token, the rate
// limits. Not in 0-RTT: a replayed upload would be stored twice.
bool ClientSession::claim_raw_stream(std::int64_t stream_id, std::string_view body, std::size_t frame_size,
                                     bool early_data) {
  auto header = parse_raw_stream_header(body);
  if (!header) return false;
  // It became the primary stream only by carrying the connection's first
  // data; the primary stream is the one opened first (wire profile 3).
  if (stream_id == primary_stream_) primary_stream_ = -1;
  auto refuse = [&](ErrorCode code, std::string detail) {
    raw_.claim(stream_id, frame_size, /*to_handler=*/false);
    answer_error(stream_id, Failure{code, std::move(detail), header->message_id, {}});
    raw_.write(stream_id, {}, /*fin=*/true);
    return true;
  };
  auto verdict = rate_limiter_.admit(frame_size, std::chrono::steady_clock::now());
  if (verdict.action == RequestRateLimiter::Action::kDisconnect) {
    raw_.claim(stream_id, frame_size, /*to_handler=*/false);
    close(kAppErrorAbusivePeer, "request rate far past the limit");
    return true;
  }
  if (verdict.action == RequestRateLimiter::Action::kRefuse)
    return refuse(ErrorCode::kTooManyRequests,
                  "file_transfer: retry after " + std::to_string(verdict.retry_after.count()) + " ms");
  if (!registered_) return refuse(ErrorCode::kRegistrationRequired, "REGISTER first");
  if (std::time(nullptr) > token_expires_at_)
    return refuse(ErrorCode::kTokenExpired, "auth_token: expired; send REGISTER with a fresh token");
  if (early_data && !handshake_confirmed_)
    return refuse(ErrorCode::kInvalidActionForState, "file_transfer: not accepted in 0-RTT data");
  raw_.claim(stream_id, frame_size, /*to_handler=*/true);
  context_.streams->on_stream_claimed(*this, stream_id, body);
  return true;
}

void ClientSession::on_raw_bytes(std::int64_t stream_id, std::string_view bytes, bool fin) {
  if (!raw_.to_handler(stream_id)) return raw_.discard(stream_id, bytes.size(), fin);
  if (fin) raw_.peer_finished(stream_id);
  context_.streams->on_stream_bytes(*this, stream_id, bytes, fin);
}

void ClientSession::protocol_failure(std::int64_t stream_id, const Failure& failure) {
  answer_error(stream_id, failure);
  // Token bucket: honest clients make the odd mistake; a flood is abuse.
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - last_refill_).count();
  last_refill_ = now;
  failure_tokens_ = std::min(context_.failure_burst, failure_tokens_ + elapsed * context_.failure_refill_per_second);
  failure_tokens_ -= 1;
  if (failure_tokens_ < 0) close(kAppErrorAbusivePeer, "too many malformed messages");
}

core::EnvelopeFields ClientSession::answer_fields(std::string& id_storage, std::string& time_storage) const {
  id_storage = context_.identity.new_message_id();
  time_storage = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id_storage;
  f.timestamp = time_storage;
  f.from_user_id = context_.identity.server_id();
  f.from_device_id = context_.identity.node_id();
  f.to_user_id = user_id_;
  f.to_device_id = device_id_;
  return f;
}

void ClientSession::answer_error(std::int64_t stream_id, const Failure& failure) {
  std::string id, time;
  std::string json = core::build_error(failure, answer_fields(id, time));
  if (context_.observer) context_.observer->error_sent(failure.code);
  send(stream_id, json, "ERROR");
}

void ClientSession::answer_receipt(std::int64_t stream_id, std::string_view target_message_id, std::string_view status,
                                   std::string_view extra_json) {
  std::string id, time;
  send(stream_id, core::build_receipt(answer_fields(id, time), target_message_id, status, extra_json), "RECEIPT");
}

void ClientSession::answer_data(std::int64_t stream_id, std::string_view type_name, std::string_view payload_json) {
  std::string id, time;
  auto fields = answer_fields(id, time);
  fields.type = type_name;
  send(stream_id, core::build_envelope(fields, payload_json), type_name);
}

SendResult ClientSession::push(FrameBytes frame, Delivery delivery) {
  if (primary_stream_ < 0) return SendResult::kDropped;
  return outbound_.send(primary_stream_, std::move(frame), delivery);
}

SendResult ClientSession::send(std::int64_t stream_id, const std::string& json, std::string_view type_name) {
  std::string frame;
  frame.reserve(json.size() + 4);
  core::append_frame(frame, json);
  if (context_.observer) context_.observer->message_out(type_name, frame.size());
  return outbound_.send(stream_id, make_frame_bytes(std::move(frame)), Delivery::kReliable);
}

}  // namespace qsip::server
