// GnuTLS-based implementation of the self-signed certificate helper.
#include "quic/self_signed_certificate.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace qsip::quic {
namespace {

void check(int rv, const char* what) {
  if (rv < 0) {
    throw std::runtime_error(std::string("self-signed certificate: ") + what + ": " +
                             gnutls_strerror(rv));
  }
}

// RAII owners so every throw path releases GnuTLS objects.
struct PrivateKey {
  gnutls_x509_privkey_t key = nullptr;
  PrivateKey() { check(gnutls_x509_privkey_init(&key), "privkey_init"); }
  ~PrivateKey() { gnutls_x509_privkey_deinit(key); }
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
};

struct Certificate {
  gnutls_x509_crt_t crt = nullptr;
  Certificate() { check(gnutls_x509_crt_init(&crt), "crt_init"); }
  ~Certificate() { gnutls_x509_crt_deinit(crt); }
  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;
};

struct Datum {
  gnutls_datum_t d{nullptr, 0};
  ~Datum() { gnutls_free(d.data); }
};

void write_file(const std::string& path, const gnutls_datum_t& data, mode_t mode) {
  // O_TRUNC keeps an existing file's mode, so fix it explicitly afterwards:
  // a key file must never stay world-readable.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    throw std::runtime_error("self-signed certificate: cannot open " + path + ": " +
                             std::strerror(errno));
  }
  ::fchmod(fd, mode);
  size_t off = 0;
  while (off < data.size) {
    ssize_t n = ::write(fd, data.data + off, data.size - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      throw std::runtime_error("self-signed certificate: cannot write " + path + ": " +
                               std::strerror(e));
    }
    off += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    throw std::runtime_error("self-signed certificate: cannot close " + path + ": " +
                             std::strerror(errno));
  }
}

void add_san(gnutls_x509_crt_t crt, const std::string& name) {
  std::array<unsigned char, 16> ip{};
  if (inet_pton(AF_INET, name.c_str(), ip.data()) == 1) {
    check(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip.data(), 4,
                                               GNUTLS_FSAN_APPEND),
          "subjectAltName IPv4");
  } else if (inet_pton(AF_INET6, name.c_str(), ip.data()) == 1) {
    check(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip.data(), 16,
                                               GNUTLS_FSAN_APPEND),
          "subjectAltName IPv6");
  } else {
    check(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, name.data(),
                                               static_cast<unsigned>(name.size()),
                                               GNUTLS_FSAN_APPEND),
          "subjectAltName DNS");
  }
}

}  // namespace

void generate_self_signed_certificate(const std::string& cert_pem_path,
                                      const std::string& key_pem_path,
                                      const std::string& common_name) {
  if (common_name.empty()) {
    throw std::runtime_error("self-signed certificate: empty common name");
  }
  PrivateKey key;
  check(gnutls_x509_privkey_generate(key.key, GNUTLS_PK_ECDSA,
                                     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
        "generate ECDSA P-256 key");

  Certificate cert;
  check(gnutls_x509_crt_set_version(cert.crt, 3), "set version");
  std::array<unsigned char, 16> serial{};
  check(gnutls_rnd(GNUTLS_RND_NONCE, serial.data(), serial.size()), "random serial");
  serial[0] &= 0x7f;  // DER integers are signed; keep the serial positive.
  check(gnutls_x509_crt_set_serial(cert.crt, serial.data(), serial.size()), "set serial");
  const time_t now = std::time(nullptr);
  // Backdate a little so a peer with a slightly slow clock accepts it at once.
  check(gnutls_x509_crt_set_activation_time(cert.crt, now - 3600), "set activation time");
  check(gnutls_x509_crt_set_expiration_time(cert.crt, now + 10L * 365 * 24 * 3600 + 3 * 86400),
        "set expiration time");
  check(gnutls_x509_crt_set_dn_by_oid(cert.crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                      common_name.data(),
                                      static_cast<unsigned>(common_name.size())),
        "set common name");
  add_san(cert.crt, common_name);
  if (common_name != "localhost") add_san(cert.crt, "localhost");
  if (common_name != "127.0.0.1") add_san(cert.crt, "127.0.0.1");
  if (common_name != "::1") add_san(cert.crt, "::1");
  check(gnutls_x509_crt_set_key(cert.crt, key.key), "set key");
  check(gnutls_x509_crt_set_basic_constraints(cert.crt, 0, -1), "set basic constraints");
  check(gnutls_x509_crt_set_key_usage(cert.crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
        "set key usage");
  check(gnutls_x509_crt_set_key_purpose_oid(cert.crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
        "set key purpose");
  std::array<unsigned char, 64> key_id{};
  size_t key_id_size = key_id.size();
  check(gnutls_x509_privkey_get_key_id(key.key, GNUTLS_KEYID_USE_SHA1, key_id.data(),
                                       &key_id_size),
        "compute key id");
  check(gnutls_x509_crt_set_subject_key_id(cert.crt, key_id.data(), key_id_size),
        "set subject key id");
  check(gnutls_x509_crt_sign2(cert.crt, cert.crt, key.key, GNUTLS_DIG_SHA256, 0), "sign");

  Datum key_pem;
  check(gnutls_x509_privkey_export2_pkcs8(key.key, GNUTLS_X509_FMT_PEM, nullptr,
                                          GNUTLS_PKCS_PLAIN, &key_pem.d),
        "export key");
  Datum cert_pem;
  check(gnutls_x509_crt_export2(cert.crt, GNUTLS_X509_FMT_PEM, &cert_pem.d),
        "export certificate");
  write_file(key_pem_path, key_pem.d, 0600);
  write_file(cert_pem_path, cert_pem.d, 0644);
}

std::string certificate_sha256_pin(const std::string& cert_pem_path) {
  std::ifstream in(cert_pem_path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("certificate pin: cannot read " + cert_pem_path);
  }
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  gnutls_datum_t pem_datum{reinterpret_cast<unsigned char*>(pem.data()),
                           static_cast<unsigned>(pem.size())};
  Certificate cert;
  int rv = gnutls_x509_crt_import(cert.crt, &pem_datum, GNUTLS_X509_FMT_PEM);
  if (rv < 0) {
    throw std::runtime_error("certificate pin: " + cert_pem_path +
                             " holds no PEM certificate: " + gnutls_strerror(rv));
  }
  Datum der;
  check(gnutls_x509_crt_export2(cert.crt, GNUTLS_X509_FMT_DER, &der.d), "export DER");
  std::array<unsigned char, 32> digest{};
  check(gnutls_hash_fast(GNUTLS_DIG_SHA256, der.d.data, der.d.size, digest.data()),
        "sha256");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace qsip::quic
