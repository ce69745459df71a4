#pragma once
// A WAV file written as audio arrives: `qsip call` and `qsip answer` write
// what they hear for as long as the call lasts, so nothing is held in
// memory. The header is written first with empty sizes and completed by
// finish() (or the destructor); a file cut short by a crash still reads,
// since parse_wav takes a data size beyond the end as "up to the end".
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "media/audio_decoder.hpp"

namespace qsip::media {

class WavFileWriter {
 public:
  // Opens (truncates) `path`; ok() tells whether that worked.
  WavFileWriter(const std::filesystem::path& path, std::uint32_t sample_rate, std::uint16_t channels);
  ~WavFileWriter();
  WavFileWriter(const WavFileWriter&) = delete;
  WavFileWriter& operator=(const WavFileWriter&) = delete;

  // Appends interleaved samples. False when the file cannot be written or
  // the data would pass the 4 GiB a WAV file can describe (nothing is
  // written then).
  bool append(PcmView samples);
  // Writes the sizes into the header and closes; false on a write error.
  bool finish();

  bool ok() const { return ok_; }
  std::uint64_t samples_written() const { return data_bytes_ / 2; }

 private:
  std::ofstream out_;
  bool ok_ = false;
  bool finished_ = false;
  std::uint64_t data_bytes_ = 0;
};

}  // namespace qsip::media
