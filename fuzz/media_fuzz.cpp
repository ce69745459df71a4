// libFuzzer target over everything the calls media library does with
// untrusted bytes: the input is read as an SFrame header, an RTP packet and
// a WAV file, and, split into datagrams at its own length bytes, fed through
// a receive chain whose SFrame key the input's packets may or may not match
// (the first byte picks: forge valid SFrame payloads under the RTP headers
// of the pieces, or pass them raw), with a frame pulled after each datagram
// so Opus decodes what got through; and, as media datagrams (flow id
// varint first), through a call media session.
#include <cstddef>
#include <cstdint>

#include "media/audio_chain.hpp"
#include "media/call_media_session.hpp"
#include "media/rtp_packet.hpp"
#include "media/sframe_header.hpp"
#include "media/wav_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qsip::media;
  const ByteView input(data, size);
  if (auto header = decode_sframe_header(input); header && header->size > size) __builtin_trap();
  if (auto rtp = read_rtp_packet(input); rtp.packet) {
    if (rtp.packet->payload.data() + rtp.packet->payload.size() > data + size) __builtin_trap();
  }
  if (auto wav = parse_wav(input); wav.audio && wav.audio->samples.size() * 2 > size) __builtin_trap();

  if (size == 0) return 0;
  const Bytes key(16, 0x33);
  const bool forge = (data[0] & 1) != 0;
  AudioReceiveChain receiver;
  receiver.add_key(0, key);
  SframeSender forger(default_cipher_suite, 0, key);
  CallMediaSettings settings;
  settings.send.base_key = key;
  CallMediaSession session(settings);
  session.set_peer_flow(0);
  session.add_peer_key(default_cipher_suite, 0, key);
  std::size_t at = 1;
  std::int64_t now_us = 0;
  while (at < size) {
    const std::size_t length = std::min<std::size_t>(data[at], size - at - 1);
    const ByteView piece = input.subspan(at + 1, length);
    at += 1 + length;
    now_us += 20000;
    const RtpReadResult rtp = read_rtp_packet(piece);
    if (forge && rtp.packet) {
      const std::size_t header_size = static_cast<std::size_t>(rtp.packet->payload.data() - piece.data());
      Bytes packet(piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(header_size));
      const Bytes sealed = *forger.protect(rtp.packet->payload, packet);
      packet.insert(packet.end(), sealed.begin(), sealed.end());
      receiver.receive(packet, MediaTime(now_us));
    } else {
      receiver.receive(piece, MediaTime(now_us));
    }
    if (receiver.pull(MediaTime(now_us)).samples.size() != 960) __builtin_trap();
    session.receive(piece, MediaTime(now_us));
    if (session.pull(MediaTime(now_us)).samples.size() != 960) __builtin_trap();
  }
  return 0;
}
