// New files are written under a temporary name and published with link(2),
// which fails rather than replace: a file that exists is never overwritten,
// even by a second qsipd starting at the same moment, and a crash mid-write
// leaves no half-written key under the real name.
#include "server/data_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <system_error>

#include "quic/self_signed_certificate.hpp"
#include "server/token_signing_key.hpp"

namespace qsip::server {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int e) { return std::error_code(e, std::system_category()).message(); }

std::optional<std::string> create_data_dir(const fs::path& dir, bool& created) {
  created = false;
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return dir.string() + ": exists and is not a directory";
    return std::nullopt;
  }
  if (dir.has_parent_path()) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return dir.parent_path().string() + ": cannot create: " + ec.message();
  }
  // 0700: the directory holds private keys.
  if (::mkdir(dir.c_str(), 0700) != 0) {
    int e = errno;
    if (e == EEXIST && fs::is_directory(dir, ec)) return std::nullopt;  // another process was quicker
    return dir.string() + ": cannot create: " + errno_text(e);
  }
  created = true;
  return std::nullopt;
}

fs::path temporary_name(const fs::path& final_path) {
  return final_path.parent_path() /
         ("." + final_path.filename().string() + ".tmp-" + std::to_string(static_cast<long>(::getpid())));
}

// Moves `tmp` to `final_path` unless `final_path` exists; `tmp` is gone afterwards.
std::optional<std::string> publish(const fs::path& tmp, const fs::path& final_path) {
  int rc = ::link(tmp.c_str(), final_path.c_str());
  int e = errno;
  ::unlink(tmp.c_str());
  if (rc != 0) return final_path.string() + ": cannot create: " + errno_text(e);
  return std::nullopt;
}

std::optional<std::string> write_private_file(const fs::path& path, std::string_view bytes) {
  ::unlink(path.c_str());  // a temporary left by a crashed start with the same pid
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return path.string() + ": cannot create: " + errno_text(errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return path.string() + ": cannot write: " + errno_text(e);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(path.c_str());
    return path.string() + ": cannot write: " + errno_text(e);
  }
  return std::nullopt;
}

std::optional<std::string> check_readable(const fs::path& path, const char* what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::string(what) + " " + path.string() + ": not a regular file";
  if (::access(path.c_str(), R_OK) != 0) return std::string(what) + " " + path.string() + ": " + errno_text(errno);
  return std::nullopt;
}

std::optional<std::string> ensure_certificate(const Config& config, ServerMaterial& m) {
  if (!config.tls.cert_file.empty()) {
    m.certificate_configured = true;
    m.cert_file = config.tls.cert_file;
    m.key_file = config.tls.key_file;
    if (auto err = check_readable(m.cert_file, "certificate")) return err;
    return check_readable(m.key_file, "certificate key");
  }
  m.cert_file = m.data_dir / kTlsCertFileName;
  m.key_file = m.data_dir / kTlsKeyFileName;
  std::error_code ec;
  bool have_cert = fs::exists(m.cert_file, ec);
  bool have_key = fs::exists(m.key_file, ec);
  if (have_cert && have_key) return std::nullopt;
  if (have_cert != have_key) {
    const fs::path& present = have_cert ? m.cert_file : m.key_file;
    const fs::path& missing = have_cert ? m.key_file : m.cert_file;
    return missing.string() + " is missing but " + present.string() +
           " exists; a new one would not match it. Restore it, or remove " + present.string() +
           " to generate a new pair";
  }
  fs::path tmp_cert = temporary_name(m.cert_file);
  fs::path tmp_key = temporary_name(m.key_file);
  try {
    quic::generate_self_signed_certificate(tmp_cert.string(), tmp_key.string(), config.server.server_id);
  } catch (const std::exception& e) {
    ::unlink(tmp_cert.c_str());
    ::unlink(tmp_key.c_str());
    return std::string("cannot generate the self-signed certificate: ") + e.what();
  }
  // The key first: a certificate without its key would block the next start.
  if (auto err = publish(tmp_key, m.key_file)) {
    ::unlink(tmp_cert.c_str());
    return err;
  }
  if (auto err = publish(tmp_cert, m.cert_file)) return err;
  m.generated_certificate = true;
  return std::nullopt;
}

std::optional<std::string> ensure_token_signing_key(ServerMaterial& m) {
  m.token_signing_key_file = m.data_dir / kTokenSigningKeyFileName;
  std::error_code ec;
  if (fs::exists(m.token_signing_key_file, ec)) return std::nullopt;
  std::string why;
  auto pem = generate_token_signing_key_pem(&why);
  if (!pem) return "cannot generate the token signing key: " + why;
  fs::path tmp = temporary_name(m.token_signing_key_file);
  if (auto err = write_private_file(tmp, *pem)) return err;
  if (auto err = publish(tmp, m.token_signing_key_file)) return err;
  m.generated_token_signing_key = true;
  return std::nullopt;
}

}  // namespace

std::variant<ServerMaterial, DataDirError> prepare_data_dir(const Config& config) {
  ServerMaterial m;
  m.data_dir = config.server.data_dir;
  if (auto err = create_data_dir(m.data_dir, m.created_data_dir)) return DataDirError{*err};
  if (auto err = ensure_certificate(config, m)) return DataDirError{*err};
  if (auto err = ensure_token_signing_key(m)) return DataDirError{*err};
  return m;
}

}  // namespace qsip::server
