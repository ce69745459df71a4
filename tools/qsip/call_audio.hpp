// The media half of `qsip call` and `qsip answer`: the call media session
// (src/media) fed with the client's datagrams on the client's thread, and a
// 20 ms clock on the command's thread that sends the input file frame by
// frame, in real time, and writes one frame of what it hears per tick.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "call_signaling.hpp"
#include "media/call_media_session.hpp"
#include "media/wav_writer.hpp"
#include "qsip/client.hpp"

namespace qsip::cli {

// The session and the lock the client's thread and the command's share.
struct CallMedia {
  explicit CallMedia(const media::CallMediaSettings& settings) : session(settings) {}
  std::mutex mutex;
  media::CallMediaSession session;
};

// Our side's media: the flow id and SFrame key we announce, a random SSRC,
// first sequence number and timestamp (RFC 3550 5.1), Opus as the media
// library tunes it for calls.
media::CallMediaSettings call_media_settings(std::uint64_t flow_id, const SframeKey& key);

// A CallMedia that receives the client's datagrams from now on (until the
// client is closed: the callback keeps it alive).
std::shared_ptr<CallMedia> attach_call_media(Client& client, const media::CallMediaSettings& settings);

// Microseconds of the steady clock: the arrival and playout times of the session.
media::MediaTime media_now();

struct CallAudioPlan {
  const media::Pcm* input = nullptr;  // 48 kHz mono; null: send nothing
  media::WavFileWriter* output = nullptr;
  std::string session_id;
  // The caller hangs up once its input has been sent and `tail` has passed
  // (what is still in flight or in the jitter buffer plays out); the answerer
  // plays until the peer's END.
  bool hang_up_after_input = false;
  std::chrono::milliseconds tail{1000};
  std::chrono::seconds max_duration{3600};
};

enum class CallAudioEnd { input_done, peer_ended, max_duration, output_failed };

struct CallAudioOutcome {
  CallAudioEnd end = CallAudioEnd::input_done;
  std::string peer_reason;  // END's reason when the peer ended the call
  std::uint64_t ticks = 0;  // 20 ms frames written
};

// Runs the call's media until the plan says it is over. Meanwhile reads the
// client's messages: the peer's END for this session ends it, a new
// KEY_EXCHANGE from the peer (a rekey) is installed, others are ignored.
CallAudioOutcome run_call_audio(Client& client, CallMedia& media, const CallAudioPlan& plan);

}  // namespace qsip::cli
