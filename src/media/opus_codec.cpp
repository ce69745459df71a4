#include "media/opus_codec.hpp"

#include <opus.h>

#include <string>

namespace qsip::media {
namespace {

void check(int result, const char* what) {
  if (result < 0) throw OpusError(std::string(what) + ": " + opus_strerror(result));
}

int checked_channels(int channels) {
  if (channels != 1 && channels != 2) throw OpusError("Opus: channels must be 1 or 2");
  return channels;
}

}  // namespace

OpusFrameEncoder::OpusFrameEncoder(const OpusEncoderSettings& settings)
    : channels_(checked_channels(settings.channels)) {
  int error = OPUS_OK;
  const int application =
      settings.application == OpusApplication::voip ? OPUS_APPLICATION_VOIP : OPUS_APPLICATION_AUDIO;
  encoder_ = opus_encoder_create(opus_sample_rate, channels_, application, &error);
  check(error, "opus_encoder_create");
  try {
    set_bitrate(settings.bitrate);
    check(opus_encoder_ctl(encoder_, OPUS_SET_INBAND_FEC(1)), "OPUS_SET_INBAND_FEC");
    set_expected_loss_percent(settings.expected_loss_percent);
    check(opus_encoder_ctl(encoder_, OPUS_SET_COMPLEXITY(settings.complexity)), "OPUS_SET_COMPLEXITY");
  } catch (...) {
    opus_encoder_destroy(encoder_);
    throw;
  }
}

OpusFrameEncoder::~OpusFrameEncoder() { opus_encoder_destroy(encoder_); }

void OpusFrameEncoder::set_bitrate(int bits_per_second) {
  check(opus_encoder_ctl(encoder_, OPUS_SET_BITRATE(bits_per_second)), "OPUS_SET_BITRATE");
}

void OpusFrameEncoder::set_expected_loss_percent(int percent) {
  check(opus_encoder_ctl(encoder_, OPUS_SET_PACKET_LOSS_PERC(percent)), "OPUS_SET_PACKET_LOSS_PERC");
}

Bytes OpusFrameEncoder::encode(PcmView frame) {
  if (frame.size() != static_cast<std::size_t>(samples_per_channel_per_frame * channels_)) {
    throw OpusError("Opus: a frame is 960 samples per channel");
  }
  Bytes packet(1275);
  const opus_int32 size = opus_encode(encoder_, frame.data(), samples_per_channel_per_frame,
                                      packet.data(), static_cast<opus_int32>(packet.size()));
  check(size, "opus_encode");
  packet.resize(static_cast<std::size_t>(size));
  return packet;
}

OpusFrameDecoder::OpusFrameDecoder(int channels) : channels_(checked_channels(channels)) {
  int error = OPUS_OK;
  decoder_ = opus_decoder_create(opus_sample_rate, channels_, &error);
  check(error, "opus_decoder_create");
}

OpusFrameDecoder::~OpusFrameDecoder() { opus_decoder_destroy(decoder_); }

Pcm OpusFrameDecoder::run(const std::uint8_t* data, std::size_t size, bool fec) {
  Pcm out(static_cast<std::size_t>(samples_per_channel_per_frame * channels_));
  // With a null packet (or FEC) Opus produces exactly the frame size asked
  // for, so a lost frame stays 20 ms long.
  int decoded = opus_decode(decoder_, data, static_cast<opus_int32>(size), out.data(),
                            samples_per_channel_per_frame, fec ? 1 : 0);
  if (decoded < 0 && data != nullptr) {
    decoded = opus_decode(decoder_, nullptr, 0, out.data(), samples_per_channel_per_frame, 0);
  }
  check(decoded, "opus_decode");
  // A shorter valid packet (the peer sent 10 ms) leaves the rest of the frame
  // silent; a longer one does not fit the 960 samples asked for and was
  // concealed above. A tick plays exactly one 20 ms frame either way.
  return out;
}

Pcm OpusFrameDecoder::decode(ByteView packet) {
  if (packet.empty() || packet.size() > 1275) return conceal();
  return run(packet.data(), packet.size(), false);
}

Pcm OpusFrameDecoder::decode_fec(ByteView next_packet) {
  if (next_packet.empty() || next_packet.size() > 1275) return conceal();
  return run(next_packet.data(), next_packet.size(), true);
}

Pcm OpusFrameDecoder::conceal() { return run(nullptr, 0, false); }

}  // namespace qsip::media
