// The file bytes on disk, content-addressed under the data directory:
//
//   DATA/files/ab/ab12...ef      one blob per distinct SHA-256 (0600)
//   DATA/files/tmp/upload-XXXXXX uploads under way, renamed into place once
//                                their size and hash are checked
//
// A crash can leave temporary files behind; prepare() removes them at start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace qsip::server {

// A file descriptor that closes itself.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

// An upload's temporary file: removed when destroyed unless published.
class TempFile {
 public:
  TempFile(UniqueFd fd, std::filesystem::path path) : fd_(std::move(fd)), path_(std::move(path)) {}
  ~TempFile();
  TempFile(TempFile&& other) noexcept
      : fd_(std::move(other.fd_)), path_(std::exchange(other.path_, {})), published_(other.published_) {}
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // Appends all of `bytes`; false on a write error (disk full ...).
  bool append(std::string_view bytes);
  // fsync: the blob is durable before the record naming it is committed.
  bool sync();
  const std::filesystem::path& path() const { return path_; }

 private:
  friend class BlobStore;
  UniqueFd fd_;
  std::filesystem::path path_;
  bool published_ = false;
};

class BlobStore {
 public:
  // `root` is DATA/files.
  explicit BlobStore(std::filesystem::path root);

  // Creates the directories (0700) and removes leftover temporary files.
  // Throws std::filesystem::filesystem_error.
  void prepare();

  // A new, empty temporary file (O_EXCL, 0600). Throws std::system_error.
  TempFile create_temp();
  // Renames the temporary file to the blob of `sha256` (replacing an
  // identical blob is harmless). Throws std::system_error.
  void publish(TempFile& temp, std::string_view sha256);
  // The blob opened for reading; an empty UniqueFd when it is missing.
  UniqueFd open_blob(std::string_view sha256) const;

  std::filesystem::path blob_path(std::string_view sha256) const;
  const std::filesystem::path& temp_dir() const { return temp_dir_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path temp_dir_;
};

}  // namespace qsip::server
