// Server-side TLS state shared by every connection of a Server: the
// certificate credentials (replaceable at run time), the session ticket key
// (shared by all workers so any worker resumes any ticket), and the 0-RTT
// anti-replay context.
#pragma once

#include <gnutls/gnutls.h>

#include <memory>
#include <mutex>
#include <string>

namespace qsip::quic {

// Credentials loaded from one certificate/key pair. Sessions keep the
// object alive through a shared_ptr, so a reload never frees credentials a
// handshake in progress still uses.
class ServerCredentials {
 public:
  // Throws std::runtime_error naming the files and the GnuTLS error.
  ServerCredentials(const std::string& cert_file, const std::string& key_file);
  ~ServerCredentials();
  ServerCredentials(const ServerCredentials&) = delete;
  ServerCredentials& operator=(const ServerCredentials&) = delete;
  gnutls_certificate_credentials_t get() const { return cred_; }

 private:
  gnutls_certificate_credentials_t cred_ = nullptr;
};

class TlsServerContext {
 public:
  // Loads the certificate chain and key (PEM) and generates a ticket key.
  // `alpn` is the one protocol accepted. Throws std::runtime_error.
  TlsServerContext(const std::string& cert_file, const std::string& key_file,
                   std::string alpn);
  ~TlsServerContext();
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;

  // Replaces the credentials for handshakes started from now on. Throws
  // std::runtime_error and keeps the old credentials when the new files do
  // not load. Thread-safe.
  void reload(const std::string& cert_file, const std::string& key_file);

  // Creates a server TLS session configured for QUIC (TLS 1.3 only, the
  // ALPN, tickets, early data) whose ptr is `conn_ref`
  // (ngtcp2_crypto_conn_ref*). Stores in `creds` the credentials it uses,
  // which the caller must keep until gnutls_deinit. Returns nullptr on
  // failure. Thread-safe.
  gnutls_session_t new_session(void* conn_ref, std::shared_ptr<ServerCredentials>& creds);

  const std::string& alpn() const { return alpn_; }

 private:
  std::string alpn_;
  std::mutex mutex_;
  std::shared_ptr<ServerCredentials> creds_;  // guarded by mutex_
  gnutls_datum_t ticket_key_{nullptr, 0};
  gnutls_anti_replay_t anti_replay_ = nullptr;
};

}  // namespace qsip::quic
