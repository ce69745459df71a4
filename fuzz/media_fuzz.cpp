// libFuzzer target over everything the calls media library does with
// untrusted bytes: the input is read as an SFrame header, an RTP packet and
// a WAV file, and, split into datagrams at its own length bytes, fed through
// a receive chain whose SFrame key the input's frames may or may not match
// (the first byte picks: forge valid frames around the rest, or pass it raw),
// with a frame pulled after each datagram so Opus decodes what got through.
#include <cstddef>
#include <cstdint>

#include "media/audio_chain.hpp"
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
  std::size_t at = 1;
  std::int64_t now_us = 0;
  while (at < size) {
    const std::size_t length = std::min<std::size_t>(data[at], size - at - 1);
    const ByteView piece = input.subspan(at + 1, length);
    at += 1 + length;
    now_us += 20000;
    if (forge) {
      receiver.receive(*forger.protect(piece), MediaTime(now_us));
    } else {
      receiver.receive(piece, MediaTime(now_us));
    }
    if (receiver.pull(MediaTime(now_us)).samples.size() != 960) __builtin_trap();
  }
  return 0;
}
