// Session ticket blob: "QST1" | 8 x u64 big-endian params | u32 len | session.
#include "quic/session_ticket.hpp"

#include <array>

namespace qsip::quic {
namespace {

constexpr std::array<uint8_t, 4> kMagic = {'Q', 'S', 'T', '1'};
constexpr size_t kFieldCount = 8;

void put_u64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint64_t get_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::vector<uint8_t> encode_session_ticket(std::span<const uint8_t> tls_session,
                                           const ngtcp2_transport_params& p) {
  std::vector<uint8_t> out(kMagic.begin(), kMagic.end());
  put_u64(out, p.initial_max_stream_data_bidi_local);
  put_u64(out, p.initial_max_stream_data_bidi_remote);
  put_u64(out, p.initial_max_stream_data_uni);
  put_u64(out, p.initial_max_data);
  put_u64(out, p.initial_max_streams_bidi);
  put_u64(out, p.initial_max_streams_uni);
  put_u64(out, p.active_connection_id_limit);
  put_u64(out, p.max_datagram_frame_size);
  const auto n = static_cast<uint32_t>(tls_session.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
  out.insert(out.end(), tls_session.begin(), tls_session.end());
  return out;
}

std::optional<SessionTicket> decode_session_ticket(std::span<const uint8_t> blob) {
  const size_t header = kMagic.size() + kFieldCount * 8 + 4;
  if (blob.size() < header || !std::equal(kMagic.begin(), kMagic.end(), blob.begin())) {
    return std::nullopt;
  }
  const uint8_t* p = blob.data() + kMagic.size();
  SessionTicket t;
  ngtcp2_transport_params_default(&t.params);
  t.params.initial_max_stream_data_bidi_local = get_u64(p);
  t.params.initial_max_stream_data_bidi_remote = get_u64(p + 8);
  t.params.initial_max_stream_data_uni = get_u64(p + 16);
  t.params.initial_max_data = get_u64(p + 24);
  t.params.initial_max_streams_bidi = get_u64(p + 32);
  t.params.initial_max_streams_uni = get_u64(p + 40);
  t.params.active_connection_id_limit = get_u64(p + 48);
  t.params.max_datagram_frame_size = get_u64(p + 56);
  p += kFieldCount * 8;
  const uint32_t n = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  if (n == 0 || blob.size() - header != n) return std::nullopt;
  t.tls_session.assign(blob.begin() + static_cast<std::ptrdiff_t>(header), blob.end());
  return t;
}

}  // namespace qsip::quic
