// Batched UDP I/O with runtime detection of UDP GSO.
#include "quic/udp_socket.hpp"

#include <fcntl.h>
#include <netinet/udp.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

namespace qsip::quic {
namespace {

// -1 unknown, 0 unusable, 1 usable. Detected on the first socket and turned
// off for good if the kernel rejects a GSO send (old kernels, some NICs).
std::atomic<int> g_gso_state{-1};

// The kernel caps one GSO send at 64 segments and 64 KiB.
constexpr size_t kMaxGsoSegments = 64;
constexpr size_t kMaxSendBatch = 64;

void detect_gso(int fd) {
  if (g_gso_state.load(std::memory_order_relaxed) != -1) return;
  int probe = 1200;
  const bool ok = ::setsockopt(fd, SOL_UDP, UDP_SEGMENT, &probe, sizeof probe) == 0;
  if (ok) {
    probe = 0;
    ::setsockopt(fd, SOL_UDP, UDP_SEGMENT, &probe, sizeof probe);
  }
  int expected = -1;
  g_gso_state.compare_exchange_strong(expected, ok ? 1 : 0);
}

std::runtime_error socket_error(const std::string& what, const SocketAddress& addr) {
  return std::runtime_error("udp socket " + addr.to_string() + ": " + what + ": " +
                            std::strerror(errno));
}

}  // namespace

ReceiveBatch::ReceiveBatch()
    : storage(new uint8_t[kMaxPackets * kPacketCapacity]) {
  for (size_t i = 0; i < kMaxPackets; ++i) {
    iov[i].iov_base = storage.get() + i * kPacketCapacity;
    iov[i].iov_len = kPacketCapacity;
    headers[i].msg_hdr.msg_iov = &iov[i];
    headers[i].msg_hdr.msg_iovlen = 1;
    headers[i].msg_hdr.msg_name = &packets[i].remote.storage;
    headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
}

bool UdpSocket::gso_supported() { return g_gso_state.load(std::memory_order_relaxed) == 1; }

std::unique_ptr<UdpSocket> UdpSocket::bind(const SocketAddress& local, const Options& options) {
  int fd = ::socket(local.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) throw socket_error("socket", local);
  std::unique_ptr<UdpSocket> sock(new UdpSocket(fd));
  int one = 1;
  if (options.reuse_port &&
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    throw socket_error("SO_REUSEPORT", local);
  }
  if (local.family() == AF_INET6) {
    int v6only = options.v6_only ? 1 : 0;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  if (options.buffer_bytes > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.buffer_bytes, sizeof options.buffer_bytes);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options.buffer_bytes, sizeof options.buffer_bytes);
  }
  if (::bind(fd, local.sa(), local.len) != 0) throw socket_error("bind", local);
  sock->local_.len = sizeof sock->local_.storage;
  if (::getsockname(fd, sock->local_.sa(), &sock->local_.len) != 0) {
    throw socket_error("getsockname", local);
  }
  detect_gso(fd);
  return sock;
}

std::unique_ptr<UdpSocket> UdpSocket::bind_ephemeral_for(const SocketAddress& remote) {
  SocketAddress any;
  if (remote.family() == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&any.storage);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_any;
    any.len = sizeof(sockaddr_in6);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&any.storage);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_ANY);
    any.len = sizeof(sockaddr_in);
  }
  return bind(any, Options{});
}

UdpSocket::~UdpSocket() { ::close(fd_); }

size_t UdpSocket::receive(ReceiveBatch& batch) {
  for (size_t i = 0; i < ReceiveBatch::kMaxPackets; ++i) {
    batch.headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    batch.headers[i].msg_hdr.msg_flags = 0;
  }
  int n;
  do {
    n = ::recvmmsg(fd_, batch.headers.data(), ReceiveBatch::kMaxPackets, MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return 0;
  size_t kept = 0;
  for (int i = 0; i < n; ++i) {
    const auto& h = batch.headers[static_cast<size_t>(i)];
    if ((h.msg_hdr.msg_flags & MSG_TRUNC) != 0 || h.msg_len == 0) continue;
    auto& p = batch.packets[kept];
    // Compact in place: entries before `kept` are already consumed slots.
    if (kept != static_cast<size_t>(i)) {
      std::memcpy(&p.remote.storage, h.msg_hdr.msg_name, h.msg_hdr.msg_namelen);
    }
    p.remote.len = h.msg_hdr.msg_namelen;
    p.data = static_cast<uint8_t*>(batch.iov[static_cast<size_t>(i)].iov_base);
    p.len = h.msg_len;
    ++kept;
  }
  return kept;
}

size_t UdpSocket::send(const sockaddr* remote, socklen_t remote_len, const uint8_t* data,
                       size_t len, size_t segment_size) {
  if (len == 0) return 0;
  if (segment_size == 0 || segment_size >= len) segment_size = len;
  const size_t npackets = (len + segment_size - 1) / segment_size;
  if (npackets > 1 && npackets <= kMaxGsoSegments && gso_supported()) {
    iovec iov{const_cast<uint8_t*>(data), len};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint16_t))] = {};
    msghdr msg{};
    msg.msg_name = const_cast<sockaddr*>(remote);
    msg.msg_namelen = remote_len;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_UDP;
    cm->cmsg_type = UDP_SEGMENT;
    cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    const auto seg = static_cast<uint16_t>(segment_size);
    std::memcpy(CMSG_DATA(cm), &seg, sizeof seg);
    ssize_t n;
    do {
      n = ::sendmsg(fd_, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n >= 0) return npackets;
    if (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP) {
      // The kernel or device cannot segment: fall back for good.
      g_gso_state.store(0, std::memory_order_relaxed);
    } else {
      return 0;
    }
  }
  return send_each(remote, remote_len, data, len, segment_size);
}

size_t UdpSocket::send_each(const sockaddr* remote, socklen_t remote_len, const uint8_t* data,
                            size_t len, size_t segment_size) {
  std::array<mmsghdr, kMaxSendBatch> msgs{};
  std::array<iovec, kMaxSendBatch> iov{};
  size_t total = 0;
  size_t off = 0;
  while (off < len) {
    size_t count = 0;
    for (; count < kMaxSendBatch && off < len; ++count) {
      const size_t n = std::min(segment_size, len - off);
      iov[count] = {const_cast<uint8_t*>(data + off), n};
      msgs[count].msg_hdr = {};
      msgs[count].msg_hdr.msg_name = const_cast<sockaddr*>(remote);
      msgs[count].msg_hdr.msg_namelen = remote_len;
      msgs[count].msg_hdr.msg_iov = &iov[count];
      msgs[count].msg_hdr.msg_iovlen = 1;
      off += n;
    }
    int sent;
    do {
      sent = ::sendmmsg(fd_, msgs.data(), static_cast<unsigned>(count), 0);
    } while (sent < 0 && errno == EINTR);
    if (sent <= 0) break;
    total += static_cast<size_t>(sent);
    if (static_cast<size_t>(sent) < count) break;
  }
  return total;
}

}  // namespace qsip::quic
