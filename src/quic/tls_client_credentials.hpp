// Client-side TLS credentials and how the client checks the server
// certificate: a CA file, a SHA-256 pin, or (explicitly) nothing.
#pragma once

#include <gnutls/gnutls.h>

#include <string>

namespace qsip::quic {

enum class CertificateCheck {
  kCaFile,    // verify the chain against ClientTlsOptions::ca_file and the host name
  kPin,       // accept exactly the certificate whose DER SHA-256 is `pin_sha256`
  kInsecure,  // accept any certificate: development only
};

struct ClientTlsOptions {
  CertificateCheck check = CertificateCheck::kCaFile;
  std::string ca_file;     // PEM bundle, for kCaFile
  std::string pin_sha256;  // 64 hex characters, for kPin (certificate_sha256_pin)
  std::string server_name; // SNI and name to verify; empty = the connect host
  std::string alpn = "qsip/1";
};

class TlsClientCredentials {
 public:
  // Loads `ca_file` as trust anchors when it is not empty. Throws
  // std::runtime_error when the file does not load or holds no certificate.
  explicit TlsClientCredentials(const std::string& ca_file);
  ~TlsClientCredentials();
  TlsClientCredentials(const TlsClientCredentials&) = delete;
  TlsClientCredentials& operator=(const TlsClientCredentials&) = delete;

  gnutls_certificate_credentials_t get() const { return cred_; }

 private:
  gnutls_certificate_credentials_t cred_ = nullptr;
};

// True when the session's peer certificate (the leaf) hashes to `pin_hex`.
bool peer_certificate_matches_pin(gnutls_session_t session, const std::string& pin_hex);

}  // namespace qsip::quic
