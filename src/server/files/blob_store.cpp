#include "server/files/blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace qsip::server {

namespace fs = std::filesystem;

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

TempFile::~TempFile() {
  fd_.reset();
  if (!published_ && !path_.empty()) ::unlink(path_.c_str());
}

bool TempFile::append(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool TempFile::sync() { return ::fsync(fd_.get()) == 0; }

BlobStore::BlobStore(fs::path root) : root_(std::move(root)), temp_dir_(root_ / "tmp") {}

void BlobStore::prepare() {
  for (const auto& dir : {root_, temp_dir_}) {
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  }
  // Uploads a crash interrupted: nothing names them.
  for (const auto& entry : fs::directory_iterator(temp_dir_)) fs::remove_all(entry.path());
}

TempFile BlobStore::create_temp() {
  std::string path = (temp_dir_ / "upload-XXXXXX").string();
  int fd = ::mkostemp(path.data(), O_CLOEXEC);  // 0600, O_EXCL
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot create " + path);
  return TempFile(UniqueFd(fd), path);
}

void BlobStore::publish(TempFile& temp, std::string_view sha256) {
  fs::path target = blob_path(sha256);
  std::error_code ec;
  fs::create_directory(target.parent_path(), ec);
  if (ec) throw std::system_error(ec, "cannot create " + target.parent_path().string());
  fs::permissions(target.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
  if (::rename(temp.path_.c_str(), target.c_str()) != 0)
    throw std::system_error(errno, std::generic_category(), "cannot rename to " + target.string());
  temp.published_ = true;
}

UniqueFd BlobStore::open_blob(std::string_view sha256) const {
  return UniqueFd(::open(blob_path(sha256).c_str(), O_RDONLY | O_CLOEXEC));
}

fs::path BlobStore::blob_path(std::string_view sha256) const {
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

}  // namespace qsip::server
