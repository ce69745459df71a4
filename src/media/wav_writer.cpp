#include "media/wav_writer.hpp"

#include "media/wav_file.hpp"

namespace qsip::media {
namespace {

constexpr std::uint64_t header_size = 44;
constexpr std::uint64_t max_data_bytes = 0xffffffffull - header_size;

void write_le32_at(std::ofstream& out, std::streamoff offset, std::uint32_t value) {
  const char bytes[4] = {static_cast<char>(value), static_cast<char>(value >> 8), static_cast<char>(value >> 16),
                         static_cast<char>(value >> 24)};
  out.seekp(offset);
  out.write(bytes, 4);
}

}  // namespace

WavFileWriter::WavFileWriter(const std::filesystem::path& path, std::uint32_t sample_rate, std::uint16_t channels)
    : out_(path, std::ios::binary | std::ios::trunc) {
  const Bytes header = encode_wav(WavAudio{sample_rate, channels, {}});
  out_.write(reinterpret_cast<const char*>(header.data()), static_cast<std::streamsize>(header.size()));
  ok_ = static_cast<bool>(out_);
}

WavFileWriter::~WavFileWriter() { finish(); }

bool WavFileWriter::append(PcmView samples) {
  if (!ok_ || finished_) return false;
  if (data_bytes_ + samples.size() * 2 > max_data_bytes) return false;
  std::string bytes(samples.size() * 2, '\0');
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto s = static_cast<std::uint16_t>(samples[i]);
    bytes[2 * i] = static_cast<char>(s & 0xff);
    bytes[2 * i + 1] = static_cast<char>(s >> 8);
  }
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ok_ = static_cast<bool>(out_);
  if (ok_) data_bytes_ += bytes.size();
  return ok_;
}

bool WavFileWriter::finish() {
  if (finished_) return ok_;
  finished_ = true;
  if (!ok_) return false;
  write_le32_at(out_, 4, static_cast<std::uint32_t>(36 + data_bytes_));
  write_le32_at(out_, 40, static_cast<std::uint32_t>(data_bytes_));
  out_.close();
  ok_ = !out_.fail();
  return ok_;
}

}  // namespace qsip::media
