// File transfer in libqsip (docs/files.md): each upload or download runs on
// a stream of its own, opened beside the primary stream, carrying one framed
// header and then raw bytes. Client::Impl keeps such streams apart from the
// QSIP-framed ones (RawStreamTable) and offers what a transfer needs
// (RawStreamHost); the transfers themselves live in file_transfer.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string_view>

namespace qsip::client {

// The owner of a raw stream. Called on the client's loop thread.
class RawStreamUser {
 public:
  virtual ~RawStreamUser() = default;
  virtual void on_bytes(std::span<const std::uint8_t> bytes, bool fin) = 0;
  // The peer reset the stream or the connection was lost: the stream is gone.
  virtual void on_gone(std::string_view why) = 0;
  // Every tick of the client's loop (20 ms): a sender paces itself here.
  virtual void on_tick() = 0;
};

// What Client::Impl offers a transfer.
class RawStreamHost {
 public:
  virtual ~RawStreamHost() = default;
  // Any thread: runs `task` on the loop thread.
  virtual void run_on_loop(std::function<void()> task) = 0;
  virtual std::chrono::milliseconds request_timeout() const = 0;
  // Loop thread only. A new bidirectional stream for `user`; -1 when not
  // connected (or at the peer's stream limit).
  virtual std::int64_t open_raw_stream(std::shared_ptr<RawStreamUser> user) = 0;
  virtual bool write_raw(std::int64_t stream_id, std::span<const std::uint8_t> bytes, bool fin) = 0;
  // Forgets the stream, resetting it first when `reset`.
  virtual void close_raw_stream(std::int64_t stream_id, bool reset) = 0;
  // The connection's unacknowledged stream bytes: senders keep it bounded.
  virtual std::size_t queued_bytes() const = 0;
};

// The raw streams of the connection, kept by Client::Impl (loop thread).
class RawStreamTable {
 public:
  void add(std::int64_t stream_id, std::shared_ptr<RawStreamUser> user) { users_[stream_id] = std::move(user); }
  void remove(std::int64_t stream_id) { users_.erase(stream_id); }
  // True when the stream is a raw one (its bytes went to its user).
  bool deliver(std::int64_t stream_id, std::span<const std::uint8_t> bytes, bool fin);
  void reset(std::int64_t stream_id);
  void connection_lost();
  void tick();

 private:
  std::map<std::int64_t, std::shared_ptr<RawStreamUser>> users_;
};

}  // namespace qsip::client
