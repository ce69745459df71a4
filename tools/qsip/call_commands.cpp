// `qsip call USER --audio-in IN.wav --audio-out OUT.wav` and `qsip answer
// --audio-out OUT.wav [--audio-in IN.wav]` (docs/client.md "Audio calls"):
// a 1:1 audio call through qsipd with real Opus audio in 20 ms frames, RTP,
// SFrame under keys exchanged with KEY_EXCHANGE, over QUIC datagrams. The
// caller INVITEs, waits for the ACCEPT, exchanges keys, sends its file in
// real time while it writes what it hears, then hangs up; the answerer
// waits for an INVITE, ACCEPTs it, exchanges keys and writes what it hears
// (sending its own file if given, nothing otherwise) until the END.
//
// Exit status: 0 the call took place (a summary as one JSON line on
// stdout); 1 an error (connection, REGISTER, a refused request, a WAV file,
// the key exchange); 2 no token; 3 no call: REJECT, END or no answer
// before the ACCEPT (call), no INVITE in time (answer).
#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "call_audio.hpp"
#include "call_signaling.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "connection_options.hpp"
#include "core/json_writer.hpp"
#include "json_line.hpp"
#include "media/resampler.hpp"
#include "media/wav_file.hpp"

namespace qsip::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int exit_error = 1;
constexpr int exit_no_call = 3;
// An input longer than this is refused: it is read whole into memory.
constexpr std::size_t max_input_seconds = 3600;

struct CallArgs {
  std::string user;
  std::string audio_in;
  std::string audio_out;
  int ring_timeout_seconds = 60;
  int tail_ms = 1000;
  int max_seconds = 3600;
};

struct AnswerArgs {
  std::string audio_in;
  std::string audio_out;
  std::string from;
  int timeout_seconds = 60;
  int max_seconds = 3600;
};

// The input file as the call sends it (48 kHz mono); nullopt with the reason on stderr.
std::optional<media::Pcm> load_input(std::string_view command, const std::string& path) {
  const media::WavReadResult wav = media::read_wav_file(path);
  if (!wav.audio) {
    std::cerr << "qsip " << command << ": " << wav.error << '\n';
    return std::nullopt;
  }
  if (wav.audio->samples.size() / wav.audio->channels > max_input_seconds * wav.audio->sample_rate) {
    std::cerr << "qsip " << command << ": " << path << ": longer than " << max_input_seconds << " s\n";
    return std::nullopt;
  }
  media::ResampleResult pcm = media::to_call_audio(*wav.audio);
  if (!pcm.samples) {
    std::cerr << "qsip " << command << ": " << path << ": " << pcm.error << '\n';
    return std::nullopt;
  }
  return std::move(*pcm.samples);
}

std::chrono::milliseconds left_until(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

void send_end(Client& client, const ConnectionOptions& options, const std::string& peer, const std::string& session,
              std::string_view reason, std::string_view detail) {
  // Answered RECEIPT, or ERROR when the session is already over: either is fine.
  client.request(make_envelope(options, "END", reason_payload(reason, detail), peer, session)).wait();
}

// Sends our key, then waits for the peer's and installs it. 0 when both
// are done, else the exit status (the reason on stderr).
int exchange_keys(Client& client, const ConnectionOptions& options, CallMedia& media, const SframeKey& key,
                  const std::string& peer, const std::string& session, std::string_view command) {
  const Message sent = client.request(make_envelope(options, "KEY_EXCHANGE", key_exchange_payload(key), peer, session)).get();
  if (sent.is_error()) {
    print_answer(sent);
    std::cerr << "qsip " << command << ": KEY_EXCHANGE refused\n";
    return exit_error;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  while (auto message = client.receive(left_until(deadline))) {
    if (message->session_id() != session) continue;
    if (message->type() == "END") {
      std::cerr << "qsip " << command << ": the call ended before the keys were exchanged ("
                << message->payload_string("reason").value_or("") << ")\n";
      return exit_error;
    }
    if (message->type() != "KEY_EXCHANGE") continue;
    const PeerKeyResult peer_key = peer_key_of(*message);
    bool installed = false;
    if (peer_key.key) {
      std::lock_guard lock(media.mutex);
      installed = media.session.add_peer_key(peer_key.key->suite, peer_key.key->kid, peer_key.key->base_key);
    }
    if (!installed) {
      std::cerr << "qsip " << command << ": unusable KEY_EXCHANGE from " << peer << ": "
                << (peer_key.key ? "key refused" : peer_key.error) << '\n';
      send_end(client, options, peer, session, "error", "unusable KEY_EXCHANGE");
      return exit_error;
    }
    return 0;
  }
  std::cerr << "qsip " << command << ": no KEY_EXCHANGE from " << peer << " within " << options.timeout_ms << " ms\n";
  send_end(client, options, peer, session, "error", "no KEY_EXCHANGE");
  return exit_error;
}

// Media, then the summary line. Returns the exit status.
int talk(Client& client, const ConnectionOptions& options, CallMedia& media, const CallAudioPlan& plan,
         media::WavFileWriter& output, const std::string& peer, std::string_view command) {
  const CallAudioOutcome outcome = run_call_audio(client, media, plan);
  std::string ended_by;
  switch (outcome.end) {
    case CallAudioEnd::input_done:
      ended_by = "hangup";
      send_end(client, options, peer, plan.session_id, "hangup", "the input file ended");
      break;
    case CallAudioEnd::peer_ended: ended_by = "peer"; break;
    case CallAudioEnd::max_duration:
      ended_by = "max_duration";
      send_end(client, options, peer, plan.session_id, "hangup", "maximum duration reached");
      break;
    case CallAudioEnd::output_failed:
      send_end(client, options, peer, plan.session_id, "error", "cannot write the output");
      std::cerr << "qsip " << command << ": cannot write the output file\n";
      return exit_error;
  }
  client.close();
  if (!output.finish()) {
    std::cerr << "qsip " << command << ": cannot write the output file\n";
    return exit_error;
  }
  std::lock_guard lock(media.mutex);
  const media::CallMediaStats& stats = media.session.stats();
  std::string json;
  core::JsonWriter w(json);
  w.begin_object()
      .member("session_id", plan.session_id)
      .member("peer", peer)
      .member("ended_by", ended_by)
      .member("peer_reason", outcome.peer_reason)
      .member("duration_ms", outcome.ticks * 20)
      .member("frames_sent", stats.sent);
  w.key("received").begin_object();
  w.member("other_flow", stats.other_flow).member("held_for_key", stats.held_for_key).member("dropped_awaiting_key", stats.dropped_awaiting_key);
  if (const media::AudioReceiveChain* chain = media.session.receive_chain()) {
    const media::AudioReceiveStats& r = chain->stats();
    const media::JitterBufferStats& j = chain->jitter_buffer().stats();
    w.member("accepted", r.accepted)
        .member("not_rtp", r.not_rtp)
        .member("sframe_refused", r.sframe_refused)
        .member("other_ssrc", r.other_ssrc)
        .member("jitter_refused", r.jitter_refused)
        .member("decoded", j.decoded)
        .member("fec", j.fec)
        .member("plc", j.plc)
        .member("late", j.late)
        .member("jitter_ms", chain->jitter_buffer().jitter_ms());
  }
  w.end_object().end_object();
  std::cout << json << std::endl;
  return 0;
}

int run_call(const ConnectionOptions& options, const CallArgs& a) {
  const std::optional<media::Pcm> input = load_input("call", a.audio_in);
  if (!input) return exit_error;
  media::WavFileWriter output(a.audio_out, media::opus_sample_rate, 1);
  if (!output.ok()) {
    std::cerr << "qsip call: cannot write " << a.audio_out << '\n';
    return exit_error;
  }
  int exit_code = 0;
  auto client = registered_client(options, "call", exit_code);
  if (!client) return exit_code;

  const std::string session = new_message_id();
  const SframeKey key = new_sending_key();
  auto media = attach_call_media(*client, call_media_settings(caller_audio_flow, key));
  const Message invited =
      client->request(make_envelope(options, "INVITE", invite_payload(caller_audio_flow), a.user, session)).get();
  if (invited.is_error()) {
    print_answer(invited);
    std::cerr << "qsip call: INVITE refused\n";
    return exit_error;
  }
  std::cerr << "qsip call: calling " << a.user << '\n';

  const auto deadline = Clock::now() + std::chrono::seconds(a.ring_timeout_seconds);
  while (true) {
    auto message = client->receive(left_until(deadline));
    if (!message) {
      send_end(*client, options, a.user, session, "timeout", "no answer");
      std::cerr << "qsip call: no answer within " << a.ring_timeout_seconds << " s\n";
      return exit_no_call;
    }
    if (message->session_id() != session) continue;
    if (message->type() == "REJECT" || message->type() == "END") {
      std::cout << one_line(message->json()) << std::endl;
      std::cerr << "qsip call: " << (message->type() == "REJECT" ? "rejected" : "ended before it was answered")
                << " (" << message->payload_string("reason").value_or("") << ")\n";
      return exit_no_call;
    }
    if (message->type() != "ACCEPT") continue;
    const auto peer_flow = audio_flow_of(*message);
    if (!peer_flow) {
      send_end(*client, options, a.user, session, "declined_media", "the answer announced no audio track");
      std::cerr << "qsip call: the ACCEPT announced no audio track\n";
      return exit_error;
    }
    std::lock_guard lock(media->mutex);
    media->session.set_peer_flow(*peer_flow);
    break;
  }
  std::cerr << "qsip call: answered\n";
  if (int failed = exchange_keys(*client, options, *media, key, a.user, session, "call")) return failed;

  CallAudioPlan plan;
  plan.input = &*input;
  plan.output = &output;
  plan.session_id = session;
  plan.hang_up_after_input = true;
  plan.tail = std::chrono::milliseconds(a.tail_ms);
  plan.max_duration = std::chrono::seconds(a.max_seconds);
  return talk(*client, options, *media, plan, output, a.user, "call");
}

int run_answer(const ConnectionOptions& options, const AnswerArgs& a) {
  std::optional<media::Pcm> input;
  if (!a.audio_in.empty()) {
    input = load_input("answer", a.audio_in);
    if (!input) return exit_error;
  }
  media::WavFileWriter output(a.audio_out, media::opus_sample_rate, 1);
  if (!output.ok()) {
    std::cerr << "qsip answer: cannot write " << a.audio_out << '\n';
    return exit_error;
  }
  int exit_code = 0;
  auto client = registered_client(options, "answer", exit_code);
  if (!client) return exit_code;
  const SframeKey key = new_sending_key();
  auto media = attach_call_media(*client, call_media_settings(answerer_audio_flow, key));
  std::cerr << "qsip answer: waiting for a call" << std::endl;

  const auto deadline = Clock::now() + std::chrono::seconds(a.timeout_seconds);
  std::optional<Message> invite;
  while (!invite) {
    auto message = client->receive(left_until(deadline));
    if (!message) {
      std::cerr << "qsip answer: no call within " << a.timeout_seconds << " s\n";
      return exit_no_call;
    }
    if (message->type() != "INVITE" || message->session_id().empty()) continue;
    if (!a.from.empty() && message->from_user_id() != a.from) continue;
    const auto peer_flow = offers_opus_audio(*message) ? audio_flow_of(*message) : std::nullopt;
    if (!peer_flow) {
      // Not a call we can take: refused, and we wait for another.
      client->request(make_envelope(options, "REJECT",
                                    reason_payload("unsupported", "qsip answer takes Opus audio with an audio track"),
                                    message->from_user_id(), message->session_id()))
          .wait();
      continue;
    }
    std::lock_guard lock(media->mutex);
    media->session.set_peer_flow(*peer_flow);
    invite = std::move(message);
  }
  const std::string caller(invite->from_user_id());
  const std::string session(invite->session_id());
  const Message accepted =
      client->request(make_envelope(options, "ACCEPT", accept_payload(answerer_audio_flow), caller, session)).get();
  if (accepted.is_error()) {
    print_answer(accepted);
    std::cerr << "qsip answer: ACCEPT refused\n";
    return exit_error;
  }
  std::cerr << "qsip answer: answered " << caller << '\n';
  if (int failed = exchange_keys(*client, options, *media, key, caller, session, "answer")) return failed;

  CallAudioPlan plan;
  plan.input = input ? &*input : nullptr;
  plan.output = &output;
  plan.session_id = session;
  plan.max_duration = std::chrono::seconds(a.max_seconds);
  return talk(*client, options, *media, plan, output, caller, "answer");
}

}  // namespace

void add_call_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto call_args = std::make_shared<CallArgs>();
  auto* call = app.add_subcommand("call", "call USER: send a WAV file as the call's audio, write what you hear");
  call->add_option("user", call_args->user, "the user to call")->required();
  call->add_option("--audio-in", call_args->audio_in, "WAV file to send (16-bit PCM, any rate, mono or stereo)")
      ->required()
      ->check(CLI::ExistingFile);
  call->add_option("--audio-out", call_args->audio_out, "WAV file to write what you hear (48 kHz mono 16-bit)")
      ->required();
  call->add_option("--ring-timeout", call_args->ring_timeout_seconds, "seconds to wait for an answer")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  call->add_option("--tail-ms", call_args->tail_ms, "ms to keep listening after the input ended, before hanging up")
      ->capture_default_str()
      ->check(CLI::Range(0, 60000));
  call->add_option("--max-seconds", call_args->max_seconds, "hang up after this long in any case")
      ->capture_default_str()
      ->check(CLI::Range(1, 36000));
  call->callback([&options, &exit_code, call_args] { exit_code = run_call(options, *call_args); });

  auto answer_args = std::make_shared<AnswerArgs>();
  auto* answer = app.add_subcommand("answer", "wait for a call, accept it, write what you hear until it ends");
  answer->add_option("--audio-out", answer_args->audio_out, "WAV file to write what you hear (48 kHz mono 16-bit)")
      ->required();
  answer->add_option("--audio-in", answer_args->audio_in, "WAV file to send (without it nothing is sent)")
      ->check(CLI::ExistingFile);
  answer->add_option("--from", answer_args->from, "answer only calls from this user");
  answer->add_option("--timeout", answer_args->timeout_seconds, "seconds to wait for a call")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  answer->add_option("--max-seconds", answer_args->max_seconds, "hang up after this long in any case")
      ->capture_default_str()
      ->check(CLI::Range(1, 36000));
  answer->callback([&options, &exit_code, answer_args] { exit_code = run_answer(options, *answer_args); });
}

}  // namespace qsip::cli
