#include "call_audio.hpp"

#include <algorithm>
#include <iostream>
#include <thread>

#include "media/opus_codec.hpp"

namespace qsip::cli {
namespace {

constexpr std::chrono::milliseconds tick_duration{20};
constexpr std::size_t frame_samples = media::samples_per_channel_per_frame;

}  // namespace

media::CallMediaSettings call_media_settings(std::uint64_t flow_id, const SframeKey& key) {
  media::CallMediaSettings settings;
  settings.flow_id = flow_id;
  settings.send.suite = key.suite;
  settings.send.kid = key.kid;
  settings.send.base_key = key.base_key;
  settings.send.ssrc = random_u32();
  settings.send.first_sequence = static_cast<std::uint16_t>(random_u32());
  settings.send.first_timestamp = random_u32();
  return settings;
}

media::MediaTime media_now() {
  return std::chrono::duration_cast<media::MediaTime>(std::chrono::steady_clock::now().time_since_epoch());
}

std::shared_ptr<CallMedia> attach_call_media(Client& client, const media::CallMediaSettings& settings) {
  auto media = std::make_shared<CallMedia>(settings);
  client.on_datagram([media](std::span<const std::uint8_t> datagram) {
    const media::MediaTime arrival = media_now();
    std::lock_guard lock(media->mutex);
    media->session.receive(datagram, arrival);
  });
  return media;
}

CallAudioOutcome run_call_audio(Client& client, CallMedia& media, const CallAudioPlan& plan) {
  CallAudioOutcome outcome;
  const std::size_t input_frames = plan.input ? (plan.input->size() + frame_samples - 1) / frame_samples : 0;
  const auto tail_ticks = static_cast<std::uint64_t>(plan.tail / tick_duration);
  const auto max_ticks = static_cast<std::uint64_t>(plan.max_duration / tick_duration);
  media::Pcm frame(frame_samples);
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t tick = 0;; ++tick) {
    // Absolute deadlines: a late tick is caught up, the pace never drifts.
    std::this_thread::sleep_until(start + tick * tick_duration);
    while (auto message = client.receive(std::chrono::milliseconds(0))) {
      if (message->session_id() != plan.session_id) continue;
      if (message->type() == "END") {
        outcome.end = CallAudioEnd::peer_ended;
        outcome.peer_reason = std::string(message->payload_string("reason").value_or(""));
        return outcome;
      }
      if (message->type() == "KEY_EXCHANGE") {
        const PeerKeyResult rekey = peer_key_of(*message);
        std::lock_guard lock(media.mutex);
        if (!rekey.key || !media.session.add_peer_key(rekey.key->suite, rekey.key->kid, rekey.key->base_key))
          std::cerr << "qsip: ignored a KEY_EXCHANGE: " << (rekey.key ? "too many keys" : rekey.error) << '\n';
      }
    }
    if (tick >= max_ticks) {
      outcome.end = CallAudioEnd::max_duration;
      return outcome;
    }
    if (plan.hang_up_after_input && tick >= input_frames + tail_ticks) {
      outcome.end = CallAudioEnd::input_done;
      return outcome;
    }
    std::optional<media::Bytes> datagram;
    media::PlayoutFrame heard;
    {
      std::lock_guard lock(media.mutex);
      if (tick < input_frames) {
        // The last frame of the file is padded with silence.
        const std::size_t from = static_cast<std::size_t>(tick) * frame_samples;
        const std::size_t n = std::min(frame_samples, plan.input->size() - from);
        std::fill(std::copy_n(plan.input->begin() + static_cast<std::ptrdiff_t>(from), n, frame.begin()),
                  frame.end(), std::int16_t{0});
        datagram = media.session.send(frame);
      }
      heard = media.session.pull(media_now());
    }
    if (datagram) client.send_datagram(*datagram);
    if (!plan.output->append(heard.samples)) {
      outcome.end = CallAudioEnd::output_failed;
      return outcome;
    }
    outcome.ticks = tick + 1;
  }
}

}  // namespace qsip::cli
