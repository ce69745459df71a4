#pragma once
// An adaptive jitter buffer for one RTP audio stream of fixed-length frames
// (20 ms Opus). Packets go in as they arrive, keyed by their extended
// sequence number (reordering fixed, duplicates and late packets dropped);
// exactly one frame comes out per tick: the decoded packet, or concealment
// (FEC from the next packet when it is there, PLC otherwise), or silence
// while (re)buffering.
//
// The playout delay follows the RFC 3550 interarrival jitter estimate J:
// target = frame + jitter_multiplier * J, rounded up to whole frames, within
// [min_delay, max_delay]. It grows when the buffer runs dry, or when the
// next packet is missing while fewer frames than the target are queued (a
// frame is concealed without consuming a sequence number, so the late packet
// still plays, one tick later), and shrinks when more than one frame beyond
// the target has stayed queued for shrink_after_ticks ticks (one frame is
// decoded and dropped). Time is passed in by the caller, never read from a clock, so a
// test drives it with a fake one.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "media/audio_decoder.hpp"
#include "media/bytes.hpp"

namespace qsip::media {

using MediaTime = std::chrono::microseconds;

struct JitterBufferSettings {
  std::uint32_t clock_rate = 48000;                      // RTP timestamp units per second
  std::chrono::milliseconds frame_duration{20};
  std::chrono::milliseconds min_delay{60};
  std::chrono::milliseconds max_delay{400};
  double jitter_multiplier = 4.0;
  // Packets held at once; must cover max_delay. Bounds memory whatever the
  // peer sends.
  std::size_t capacity = 64;
  std::size_t max_payload_size = 1500;
  int shrink_after_ticks = 25;      // 0.5 s of sustained excess
  // Ticks concealed while waiting for a late packet: after this many an
  // empty buffer means the stream paused (silence, then buffering afresh at
  // the next packet), and a missing packet with newer ones queued is lost.
  int max_underrun_ticks = 10;
};

enum class InsertOutcome { accepted, duplicate, late, oversized, resynchronized };

enum class PlayoutKind { silence, decoded, fec, plc };

struct PlayoutFrame {
  PlayoutKind kind = PlayoutKind::silence;
  Pcm samples;
};

struct JitterBufferStats {
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t late = 0;
  std::uint64_t oversized = 0;
  std::uint64_t resyncs = 0;
  std::uint64_t evicted = 0;
  std::uint64_t decoded = 0;
  std::uint64_t fec = 0;
  std::uint64_t plc = 0;
  std::uint64_t silence = 0;
  std::uint64_t stretched = 0;  // ticks that waited for a late packet, growing the delay
  std::uint64_t shrunk = 0;     // frames dropped to cut the delay
};

class JitterBuffer {
 public:
  explicit JitterBuffer(AudioDecoder& decoder, JitterBufferSettings settings = {});

  InsertOutcome insert(std::uint16_t sequence, std::uint32_t timestamp, ByteView payload,
                       MediaTime arrival);
  // The frame to play at `now`; call once per frame duration.
  PlayoutFrame pull(MediaTime now);

  // RFC 3550 interarrival jitter, in timestamp units and in milliseconds.
  double jitter_timestamp_units() const { return jitter_; }
  double jitter_ms() const { return jitter_ * 1000.0 / settings_.clock_rate; }
  // The delay the buffer aims at now, in frames.
  std::size_t target_delay_frames() const;
  std::size_t buffered_packets() const { return packets_.size(); }
  bool playing() const { return playing_; }
  const JitterBufferStats& stats() const { return stats_; }

 private:
  struct Packet {
    Bytes payload;
  };
  std::int64_t extend(std::uint16_t sequence);
  void update_jitter(std::uint32_t timestamp, MediaTime arrival);
  PlayoutFrame emit(PlayoutKind kind, Pcm samples);
  PlayoutFrame silence();

  AudioDecoder& decoder_;
  JitterBufferSettings settings_;

  std::map<std::int64_t, Packet> packets_;  // by extended sequence number
  std::optional<std::int64_t> highest_extended_;
  // Packets below this were played, skipped or given up: they are late.
  std::optional<std::int64_t> floor_;

  // Jitter estimate state.
  double jitter_ = 0.0;
  std::optional<std::uint32_t> last_timestamp_;
  MediaTime last_arrival_{0};

  bool playing_ = false;
  MediaTime buffering_since_{0};
  std::int64_t next_ = 0;  // extended sequence number to play next
  int waiting_ticks_ = 0;  // consecutive ticks that consumed no sequence number
  int excess_ticks_ = 0;

  JitterBufferStats stats_;
};

}  // namespace qsip::media
