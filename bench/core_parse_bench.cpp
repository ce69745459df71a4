// Parse + validate throughput of the protocol core (issue 2's goal: one
// million 300-byte text MESSAGEs a second on one core). Figures and the
// command are recorded in docs/performance.md.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/frame_decoder.hpp"
#include "core/message_validator.hpp"

namespace {

// A typical text MESSAGE of about 300 bytes.
std::string typical_text_message() {
  std::string s =
      R"({"qsip_version":"1.0","message_id":"0e8e1c9f-73e2-4b2b-9c8b-7d4a9f0c1a2b","timestamp":"2025-06-01T01:20:00Z",)"
      R"("from":{"user_id":"u-alice","device_id":"d-alice-mobile"},"to":{"user_id":"u-bob"},"type":"MESSAGE",)"
      R"("payload":{"message_type":"text","content":"Hello QSIP! This is a **bold** move for _RTC_. Lunch at noon?",)"
      R"("priority":"normal"}})";
  return s;
}

std::vector<std::string> valid_corpus() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(QSIP_SOURCE_DIR) / "tests/corpus/valid")) {
    std::ifstream in(e.path(), std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

void BM_ValidateTypicalTextMessage(benchmark::State& state) {
  std::string msg = typical_text_message();
  std::string padded = msg + std::string(simdjson::SIMDJSON_PADDING, '\0');
  qsip::core::MessageValidator validator;
  for (auto _ : state) {
    auto out = validator.validate(std::string_view(padded.data(), msg.size()), true);
    if (!out) state.SkipWithError("typical message rejected");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
  state.counters["message_bytes"] = static_cast<double>(msg.size());
}
BENCHMARK(BM_ValidateTypicalTextMessage);

// The path a server takes: bytes off a stream through the frame decoder, then
// parse and validate.
void BM_DecodeAndValidateTypicalTextFrame(benchmark::State& state) {
  std::string wire;
  for (int i = 0; i < 64; ++i) qsip::core::append_frame(wire, typical_text_message());
  qsip::core::MessageValidator validator;
  struct Sink : qsip::core::FrameDecoder::Sink {
    qsip::core::MessageValidator* validator;
    int64_t ok = 0;
    void on_frame(qsip::core::FrameDecoder::Event, std::string_view body, std::string_view, std::uint64_t) override {
      ok += validator->validate(body, true).ok();
    }
  } sink;
  sink.validator = &validator;
  qsip::core::FrameDecoder decoder;
  for (auto _ : state) decoder.feed(wire, sink);
  state.SetItemsProcessed(state.iterations() * 64);
  if (sink.ok != state.iterations() * 64) state.SkipWithError("frames rejected");
}
BENCHMARK(BM_DecodeAndValidateTypicalTextFrame);

void BM_ValidateValidCorpus(benchmark::State& state) {
  auto corpus = valid_corpus();
  if (corpus.empty()) {
    state.SkipWithError("tests/corpus/valid is empty");
    return;
  }
  qsip::core::MessageValidator validator;
  std::size_t bytes = 0;
  for (const auto& m : corpus) bytes += m.size();
  for (auto _ : state)
    for (const auto& m : corpus) benchmark::DoNotOptimize(validator.validate(m));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ValidateValidCorpus);

}  // namespace

BENCHMARK_MAIN();
