#include "media/jitter_buffer.hpp"

#include <algorithm>
#include <cmath>

namespace qsip::media {
namespace {

// Extended sequence numbers start here so a packet a little older than the
// first one never goes negative.
constexpr std::int64_t first_extended_base = std::int64_t{1} << 32;

}  // namespace

JitterBuffer::JitterBuffer(AudioDecoder& decoder, JitterBufferSettings settings)
    : decoder_(decoder), settings_(settings) {
  // The buffer must be able to hold the largest delay it may aim at.
  const auto max_frames =
      static_cast<std::size_t>(settings_.max_delay / settings_.frame_duration) + 2;
  settings_.capacity = std::max(settings_.capacity, max_frames);
}

std::int64_t JitterBuffer::extend(std::uint16_t sequence) {
  if (!highest_extended_) {
    highest_extended_ = first_extended_base + sequence;
    return *highest_extended_;
  }
  // The nearest extended number with these low 16 bits (RFC 3550 A.1).
  const auto delta = static_cast<std::int16_t>(
      static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(*highest_extended_)));
  const std::int64_t extended = *highest_extended_ + delta;
  highest_extended_ = std::max(*highest_extended_, extended);
  return extended;
}

void JitterBuffer::update_jitter(std::uint32_t timestamp, MediaTime arrival) {
  if (last_timestamp_) {
    // D(i,j) = (Rj - Ri) - (Sj - Si) in timestamp units; J += (|D| - J) / 16.
    const double arrival_delta =
        static_cast<double>((arrival - last_arrival_).count()) * settings_.clock_rate / 1e6;
    const auto timestamp_delta = static_cast<std::int32_t>(timestamp - *last_timestamp_);
    // One absurd sample (a timestamp jump) must not pin the delay at its
    // maximum for seconds: a difference counts for at most twice max_delay.
    const double limit = 2.0 * static_cast<double>(settings_.max_delay.count()) * settings_.clock_rate / 1000.0;
    const double d = std::min(std::abs(arrival_delta - timestamp_delta), limit);
    jitter_ += (d - jitter_) / 16.0;
  }
  last_timestamp_ = timestamp;
  last_arrival_ = arrival;
}

std::size_t JitterBuffer::target_delay_frames() const {
  const double frame_ms = static_cast<double>(settings_.frame_duration.count());
  const double wanted_ms = frame_ms + settings_.jitter_multiplier * jitter_ms();
  const auto wanted = static_cast<std::size_t>(std::ceil(wanted_ms / frame_ms));
  const auto min_frames = static_cast<std::size_t>(
      (settings_.min_delay + settings_.frame_duration - std::chrono::milliseconds(1)) /
      settings_.frame_duration);
  const auto max_frames =
      std::max(min_frames, static_cast<std::size_t>(settings_.max_delay / settings_.frame_duration));
  return std::clamp(wanted, min_frames, max_frames);
}

InsertOutcome JitterBuffer::insert(std::uint16_t sequence, std::uint32_t timestamp, ByteView payload,
                                   MediaTime arrival) {
  if (payload.size() > settings_.max_payload_size) {
    ++stats_.oversized;
    return InsertOutcome::oversized;
  }
  const std::int64_t extended = extend(sequence);
  const auto capacity = static_cast<std::int64_t>(settings_.capacity);
  if (floor_ && extended < *floor_) {
    ++stats_.late;
    // A packet that is merely late tells of the network's jitter; one from
    // far behind (before a resynchronization) tells nothing.
    if (extended >= *floor_ - capacity) update_jitter(timestamp, arrival);
    return InsertOutcome::late;
  }
  if (packets_.contains(extended)) {
    ++stats_.duplicates;
    return InsertOutcome::duplicate;
  }

  InsertOutcome outcome = InsertOutcome::accepted;
  if (playing_ && extended >= next_ + capacity) {
    // Far beyond anything playable: the sender restarted or a long outage
    // passed. Start over from this packet, and measure jitter afresh from it
    // rather than across the discontinuity.
    packets_.clear();
    playing_ = false;
    floor_ = extended;
    waiting_ticks_ = 0;
    excess_ticks_ = 0;
    last_timestamp_.reset();
    ++stats_.resyncs;
    outcome = InsertOutcome::resynchronized;
  }
  update_jitter(timestamp, arrival);
  if (!playing_ && packets_.empty()) buffering_since_ = arrival;
  packets_.emplace(extended, Packet{Bytes(payload.begin(), payload.end())});
  // While buffering nothing is consumed yet: keep the newest packets.
  while (packets_.size() > settings_.capacity) {
    floor_ = packets_.begin()->first + 1;
    packets_.erase(packets_.begin());
    ++stats_.evicted;
  }
  if (outcome == InsertOutcome::accepted) ++stats_.accepted;
  return outcome;
}

PlayoutFrame JitterBuffer::emit(PlayoutKind kind, Pcm samples) {
  switch (kind) {
    case PlayoutKind::decoded: ++stats_.decoded; break;
    case PlayoutKind::fec: ++stats_.fec; break;
    case PlayoutKind::plc: ++stats_.plc; break;
    case PlayoutKind::silence: ++stats_.silence; break;
  }
  samples.resize(decoder_.frame_samples(), 0);
  return PlayoutFrame{kind, std::move(samples)};
}

PlayoutFrame JitterBuffer::silence() { return emit(PlayoutKind::silence, Pcm{}); }

PlayoutFrame JitterBuffer::pull(MediaTime now) {
  const std::size_t target = target_delay_frames();
  if (!playing_) {
    if (packets_.empty()) return silence();
    if (now - buffering_since_ < std::chrono::duration_cast<MediaTime>(settings_.frame_duration * target)) {
      return silence();
    }
    playing_ = true;
    next_ = packets_.begin()->first;
    waiting_ticks_ = 0;
    excess_ticks_ = 0;
  }

  if (packets_.empty()) {
    // Underrun: the next packet is late or the stream paused. Conceal without
    // consuming its sequence number, so when it arrives it still plays and
    // the delay has grown by this frame.
    if (++waiting_ticks_ > settings_.max_underrun_ticks) {
      playing_ = false;
      floor_ = next_;
      return silence();
    }
    ++stats_.stretched;
    return emit(PlayoutKind::plc, decoder_.conceal());
  }

  const auto span = static_cast<std::size_t>(packets_.rbegin()->first - next_ + 1);
  excess_ticks_ = span > target + 1 ? excess_ticks_ + 1 : 0;
  if (excess_ticks_ >= settings_.shrink_after_ticks && packets_.contains(next_) &&
      packets_.contains(next_ + 1)) {
    // Too much delay for the jitter seen: decode one frame to keep the
    // decoder's state continuous, and drop its audio.
    decoder_.decode(packets_.begin()->second.payload);
    packets_.erase(packets_.begin());
    ++next_;
    excess_ticks_ = 0;
    ++stats_.shrunk;
  }

  if (!packets_.contains(next_) && span < target && waiting_ticks_ < settings_.max_underrun_ticks) {
    // Missing, with newer packets here, but less queued than the jitter
    // calls for: this packet is more likely late than lost. Wait for it,
    // growing the delay toward the target, a bounded number of ticks.
    ++waiting_ticks_;
    ++stats_.stretched;
    return emit(PlayoutKind::plc, decoder_.conceal());
  }
  waiting_ticks_ = 0;

  const std::int64_t playing_now = next_++;
  floor_ = next_;
  if (auto it = packets_.find(playing_now); it != packets_.end()) {
    Pcm samples = decoder_.decode(it->second.payload);
    packets_.erase(it);
    return emit(PlayoutKind::decoded, std::move(samples));
  }
  // Lost (newer packets are here, this one is not). The packet after it may
  // carry it at a lower bitrate.
  if (auto after = packets_.find(playing_now + 1); after != packets_.end()) {
    return emit(PlayoutKind::fec, decoder_.decode_fec(after->second.payload));
  }
  return emit(PlayoutKind::plc, decoder_.conceal());
}

}  // namespace qsip::media
