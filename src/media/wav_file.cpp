#include "media/wav_file.hpp"

#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>

namespace qsip::media {
namespace {

constexpr std::uint16_t format_pcm = 1;
constexpr std::uint16_t format_extensible = 0xfffe;
// A WAV file is at most 4 GiB; refuse to read more than that into memory.
constexpr std::uintmax_t max_wav_file_size = std::numeric_limits<std::uint32_t>::max();

std::uint32_t le32(ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}
std::uint16_t le16(ByteView b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}
void put_le32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_le16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
bool tag_is(ByteView b, std::size_t at, const char (&tag)[5]) {
  for (std::size_t i = 0; i < 4; ++i) {
    if (b[at + i] != static_cast<std::uint8_t>(tag[i])) return false;
  }
  return true;
}
WavReadResult fail(std::string why) { return WavReadResult{std::nullopt, std::move(why)}; }

struct Format {
  std::uint16_t channels;
  std::uint32_t sample_rate;
};

std::optional<std::string> check_format(ByteView chunk, Format& format) {
  if (chunk.size() < 16) return "fmt chunk shorter than 16 bytes";
  std::uint16_t tag = le16(chunk, 0);
  format.channels = le16(chunk, 2);
  format.sample_rate = le32(chunk, 4);
  const std::uint16_t block_align = le16(chunk, 12);
  const std::uint16_t bits = le16(chunk, 14);
  if (tag == format_extensible) {
    // cbSize(2) validBits(2) channelMask(4) subFormat GUID(16): its first two
    // bytes are the format tag.
    if (chunk.size() < 40) return "WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes";
    tag = le16(chunk, 24);
  }
  if (tag != format_pcm) return "not PCM (format tag " + std::to_string(tag) + ")";
  if (bits != 16) return "not 16-bit samples (" + std::to_string(bits) + " bits)";
  if (format.channels != 1 && format.channels != 2) {
    return "unsupported channel count " + std::to_string(format.channels);
  }
  if (format.sample_rate == 0 || format.sample_rate > max_wav_sample_rate) {
    return "unsupported sample rate " + std::to_string(format.sample_rate);
  }
  if (block_align != 2 * format.channels) return "block align does not match 16-bit samples";
  return std::nullopt;
}

}  // namespace

WavReadResult parse_wav(ByteView file) {
  if (file.size() < 12 || !tag_is(file, 0, "RIFF") || !tag_is(file, 8, "WAVE")) {
    return fail("not a RIFF/WAVE file");
  }
  std::optional<Format> format;
  std::size_t offset = 12;
  while (file.size() - offset >= 8) {
    const std::size_t declared = le32(file, offset + 4);
    const bool is_fmt = tag_is(file, offset, "fmt ");
    const bool is_data = tag_is(file, offset, "data");
    offset += 8;
    const std::size_t available = file.size() - offset;
    if (is_data) {
      if (!format) return fail("data chunk before fmt chunk");
      // A streaming writer that cannot seek back leaves a placeholder size
      // (0xFFFFFFFF, 0x7FFFF000 ...) larger than the file: take what is there.
      std::size_t size = declared > available ? available : declared;
      const std::size_t frame_bytes = 2u * format->channels;
      size -= size % frame_bytes;
      WavAudio audio{format->sample_rate, format->channels, Pcm(size / 2)};
      for (std::size_t i = 0; i < audio.samples.size(); ++i) {
        audio.samples[i] = static_cast<std::int16_t>(le16(file, offset + 2 * i));
      }
      return WavReadResult{std::move(audio), {}};
    }
    if (declared > available) return fail("chunk longer than the file");
    if (is_fmt) {
      Format parsed{};
      if (auto why = check_format(file.subspan(offset, declared), parsed)) return fail(*why);
      format = parsed;
    }
    // Chunks are padded to an even size.
    const std::size_t skip = declared + (declared & 1);
    if (skip > available) break;
    offset += skip;
  }
  return fail(format ? "no data chunk" : "no fmt chunk");
}

WavReadResult read_wav_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(path.string() + ": " + ec.message());
  if (size > max_wav_file_size) return fail(path.string() + ": larger than 4 GiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path.string() + ": cannot open");
  Bytes bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  WavReadResult result = parse_wav(bytes);
  if (!result.audio) result.error = path.string() + ": " + result.error;
  return result;
}

Bytes encode_wav(const WavAudio& audio) {
  const std::size_t data_bytes = audio.samples.size() * 2;
  if (data_bytes > max_wav_file_size - 44) throw std::length_error("WAV data larger than 4 GiB");
  Bytes out;
  out.reserve(44 + data_bytes);
  const auto riff = [&out](const char (&tag)[5]) { out.insert(out.end(), tag, tag + 4); };
  riff("RIFF");
  put_le32(out, static_cast<std::uint32_t>(36 + data_bytes));
  riff("WAVE");
  riff("fmt ");
  put_le32(out, 16);
  put_le16(out, format_pcm);
  put_le16(out, audio.channels);
  put_le32(out, audio.sample_rate);
  put_le32(out, audio.sample_rate * audio.channels * 2u);
  put_le16(out, static_cast<std::uint16_t>(audio.channels * 2u));
  put_le16(out, 16);
  riff("data");
  put_le32(out, static_cast<std::uint32_t>(data_bytes));
  for (std::int16_t s : audio.samples) put_le16(out, static_cast<std::uint16_t>(s));
  return out;
}

bool write_wav_file(const std::filesystem::path& path, const WavAudio& audio) {
  const Bytes bytes = encode_wav(audio);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  return static_cast<bool>(out);
}

}  // namespace qsip::media
