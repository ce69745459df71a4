// A non-blocking UDP socket with batched I/O: recvmmsg to read many packets
// per system call, and sendmmsg or UDP GSO (UDP_SEGMENT) to write many.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "quic/socket_address.hpp"

namespace qsip::quic {

// Receive buffers for one batch; shared by all sockets of one event loop so
// that tens of thousands of client sockets do not each hold their own.
struct ReceiveBatch {
  static constexpr size_t kMaxPackets = 32;
  // Larger than any QUIC packet we accept: ngtcp2 peers send at most 1452
  // bytes by default; anything truncated is dropped.
  static constexpr size_t kPacketCapacity = 4096;

  struct Packet {
    uint8_t* data;
    size_t len;
    SocketAddress remote;
  };

  ReceiveBatch();
  std::array<Packet, kMaxPackets> packets{};

  // recvmmsg plumbing.
  std::unique_ptr<uint8_t[]> storage;
  std::array<mmsghdr, kMaxPackets> headers{};
  std::array<iovec, kMaxPackets> iov{};
};

class UdpSocket {
 public:
  struct Options {
    bool reuse_port = false;       // SO_REUSEPORT: one socket per worker on one address
    bool v6_only = true;           // keep "[::]" and "0.0.0.0" separate listeners
    int buffer_bytes = 0;          // SO_RCVBUF/SO_SNDBUF when > 0
  };

  // Opens and binds a socket. Throws std::runtime_error naming the address
  // and the system error (EADDRINUSE, EACCES ...) on failure.
  static std::unique_ptr<UdpSocket> bind(const SocketAddress& local, const Options& options);
  // Opens a socket bound to an ephemeral port on the wildcard address of
  // the remote's family, for a client. Throws std::runtime_error on failure.
  static std::unique_ptr<UdpSocket> bind_ephemeral_for(const SocketAddress& remote);

  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  int fd() const { return fd_; }
  // The bound address with the real port (after binding port 0).
  const SocketAddress& local_address() const { return local_; }

  // Reads up to ReceiveBatch::kMaxPackets packets. Returns how many were
  // read (0 when nothing is pending: EAGAIN). Truncated packets are skipped.
  size_t receive(ReceiveBatch& batch);

  // Sends `len` bytes as packets of `segment_size` bytes each (the last may
  // be shorter) to `remote`: one GSO send when the kernel supports
  // UDP_SEGMENT, otherwise one sendmmsg. Returns the number of packets the
  // kernel accepted; packets it refused (EAGAIN, ENOBUFS) are dropped, which
  // QUIC loss recovery repairs.
  size_t send(const sockaddr* remote, socklen_t remote_len, const uint8_t* data, size_t len,
              size_t segment_size);

  // Whether this process found UDP GSO usable (detected once at runtime).
  static bool gso_supported();

 private:
  explicit UdpSocket(int fd) : fd_(fd) {}
  size_t send_each(const sockaddr* remote, socklen_t remote_len, const uint8_t* data,
                   size_t len, size_t segment_size);

  int fd_;
  SocketAddress local_;
};

}  // namespace qsip::quic
