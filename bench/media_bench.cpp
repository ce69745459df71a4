// Per-packet costs of the calls media path (src/media, docs/media.md): SFrame
// protect and unprotect of a 132-byte RTP packet (120 bytes of Opus at 48 kbit/s
// plus its header) under each cipher suite, and the jitter buffer's insert +
// pull per packet with a decoder that does no work, so the figure is the
// buffer's own.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "media/jitter_buffer.hpp"
#include "media/sframe_context.hpp"

namespace {

using qsip::media::Bytes;
using qsip::media::CipherSuite;

const Bytes base_key(16, 0x42);
const Bytes packet(132, 0x5a);

void BM_SframeProtect(benchmark::State& state) {
  qsip::media::SframeSender sender(static_cast<CipherSuite>(state.range(0)), 1, base_key);
  for (auto _ : state) {
    auto frame = sender.protect(packet);
    benchmark::DoNotOptimize(frame);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SframeUnprotect(benchmark::State& state) {
  const auto suite = static_cast<CipherSuite>(state.range(0));
  qsip::media::SframeSender sender(suite, 1, base_key);
  // A stream of distinct frames so the replay window sees fresh counters;
  // the receiver is rebuilt when they run out.
  std::vector<Bytes> frames;
  for (int i = 0; i < 4096; ++i) frames.push_back(*sender.protect(packet));
  auto receiver = std::make_unique<qsip::media::SframeReceiver>(suite);
  receiver->add_key(1, base_key);
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == frames.size()) {
      state.PauseTiming();
      receiver = std::make_unique<qsip::media::SframeReceiver>(suite);
      receiver->add_key(1, base_key);
      next = 0;
      state.ResumeTiming();
    }
    auto result = receiver->unprotect(frames[next++]);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

class NullDecoder final : public qsip::media::AudioDecoder {
 public:
  qsip::media::Pcm decode(qsip::media::ByteView) override { return qsip::media::Pcm(960); }
  qsip::media::Pcm decode_fec(qsip::media::ByteView) override { return qsip::media::Pcm(960); }
  qsip::media::Pcm conceal() override { return qsip::media::Pcm(960); }
  std::size_t frame_samples() const override { return 960; }
};

void BM_JitterBufferInsertAndPull(benchmark::State& state) {
  NullDecoder decoder;
  qsip::media::JitterBuffer buffer(decoder);
  const Bytes payload(120, 0x11);
  std::uint32_t i = 0;
  for (auto _ : state) {
    const auto arrival = std::chrono::microseconds(std::int64_t{i} * 20000 + (i % 3) * 4000);
    buffer.insert(static_cast<std::uint16_t>(i), i * 960, payload, arrival);
    auto frame = buffer.pull(arrival);
    benchmark::DoNotOptimize(frame);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_SframeProtect)->Arg(1)->Arg(4)->Arg(5);
BENCHMARK(BM_SframeUnprotect)->Arg(1)->Arg(4)->Arg(5);
BENCHMARK(BM_JitterBufferInsertAndPull);

BENCHMARK_MAIN();
