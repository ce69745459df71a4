// libFuzzer target over everything the core does with untrusted bytes:
// the input is validated as one message, and also fed as stream bytes
// through the frame decoder (in chunks whose sizes the input chooses), with
// every decoded frame validated.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/frame_decoder.hpp"
#include "core/message_validator.hpp"

namespace {

struct ValidatingSink : qsip::core::FrameDecoder::Sink {
  qsip::core::MessageValidator validator;
  void on_frame(qsip::core::FrameDecoder::Event event, std::string_view body, std::string_view frame,
                std::uint64_t) override {
    if (event != qsip::core::FrameDecoder::Event::kFrame) return;
    auto out = validator.validate(body, true);
    if (out && out->message_id.empty()) __builtin_trap();  // a valid message always has an id
    if (frame.size() < body.size()) __builtin_trap();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ValidatingSink sink;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)sink.validator.validate(input);

  qsip::core::FrameDecoder decoder;
  std::size_t chunk = size ? (data[0] % 17) + 1 : 1;
  for (std::size_t at = 0; at < size; at += chunk)
    decoder.feed(input.substr(at, chunk), sink);
  return 0;
}
