// GnuTLS server sessions for QUIC.
#include "quic/tls_server_context.hpp"

#include "quic/tls_priority.hpp"

#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <algorithm>
#include <stdexcept>

namespace qsip::quic {
namespace {

// TLS 1.3 only, and no middlebox compatibility mode (QUIC forbids it).
constexpr const char* kPriority =
    "%DISABLE_TLS13_COMPAT_MODE:NORMAL:-VERS-ALL:+VERS-TLS1.3:"
    "-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1";

// GnuTLS accepts the client's ALPN list only if it contains ours
// (GNUTLS_ALPN_MANDATORY); this hook also refuses a ClientHello with no ALPN
// extension at all, which MANDATORY lets through.
int client_hello_hook(gnutls_session_t session, unsigned, unsigned, unsigned,
                      const gnutls_datum_t*) {
  gnutls_datum_t selected{};
  if (gnutls_alpn_get_selected_protocol(session, &selected) != 0) {
    return GNUTLS_E_NO_APPLICATION_PROTOCOL;
  }
  return 0;
}

// Anti-replay database: GnuTLS's time window check already rejects stale
// ClientHellos; we accept possible replays inside the window and tell the
// application which data was early (wire profile section 1).
int anti_replay_add(void*, time_t, const gnutls_datum_t*, const gnutls_datum_t*) { return 0; }

}  // namespace

ServerCredentials::ServerCredentials(const std::string& cert_file, const std::string& key_file) {
  int rv = gnutls_certificate_allocate_credentials(&cred_);
  if (rv != 0) throw std::runtime_error(std::string("TLS credentials: ") + gnutls_strerror(rv));
  rv = gnutls_certificate_set_x509_key_file(cred_, cert_file.c_str(), key_file.c_str(),
                                            GNUTLS_X509_FMT_PEM);
  if (rv < 0) {
    gnutls_certificate_free_credentials(cred_);
    throw std::runtime_error("TLS credentials: cannot load certificate " + cert_file +
                             " and key " + key_file + ": " + gnutls_strerror(rv));
  }
}

ServerCredentials::~ServerCredentials() { gnutls_certificate_free_credentials(cred_); }

TlsServerContext::TlsServerContext(const std::string& cert_file, const std::string& key_file,
                                   std::string alpn)
    : alpn_(std::move(alpn)) {
  if (alpn_.empty() || alpn_.size() > 255) {
    throw std::runtime_error("TLS: ALPN must be 1 to 255 bytes");
  }
  creds_ = std::make_shared<ServerCredentials>(cert_file, key_file);
  int rv = gnutls_session_ticket_key_generate(&ticket_key_);
  if (rv != 0) throw std::runtime_error(std::string("TLS ticket key: ") + gnutls_strerror(rv));
  rv = gnutls_anti_replay_init(&anti_replay_);
  if (rv != 0) {
    gnutls_free(ticket_key_.data);
    throw std::runtime_error(std::string("TLS anti-replay: ") + gnutls_strerror(rv));
  }
  gnutls_anti_replay_set_add_function(anti_replay_, anti_replay_add);
  gnutls_anti_replay_set_ptr(anti_replay_, nullptr);
}

TlsServerContext::~TlsServerContext() {
  gnutls_anti_replay_deinit(anti_replay_);
  gnutls_memset(ticket_key_.data, 0, ticket_key_.size);
  gnutls_free(ticket_key_.data);
}

void TlsServerContext::reload(const std::string& cert_file, const std::string& key_file) {
  auto fresh = std::make_shared<ServerCredentials>(cert_file, key_file);
  std::lock_guard<std::mutex> lock(mutex_);
  creds_ = std::move(fresh);
}


gnutls_session_t TlsServerContext::new_session(void* conn_ref,
                                               std::shared_ptr<ServerCredentials>& creds) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    creds = creds_;
  }
  gnutls_session_t session = nullptr;
  if (gnutls_init(&session, GNUTLS_SERVER | GNUTLS_ENABLE_EARLY_DATA |
                                GNUTLS_NO_AUTO_SEND_TICKET | GNUTLS_NO_END_OF_EARLY_DATA) != 0) {
    return nullptr;
  }
  gnutls_datum_t alpn{reinterpret_cast<unsigned char*>(alpn_.data()),
                      static_cast<unsigned>(alpn_.size())};
  gnutls_priority_t priority = thread_priority(kPriority);
  if (!priority || gnutls_priority_set(session, priority) != 0 ||
      gnutls_session_ticket_enable_server(session, &ticket_key_) != 0 ||
      ngtcp2_crypto_gnutls_configure_server_session(session) != 0 ||
      gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, creds->get()) != 0 ||
      gnutls_alpn_set_protocols(session, &alpn, 1,
                                GNUTLS_ALPN_MANDATORY | GNUTLS_ALPN_SERVER_PRECEDENCE) != 0) {
    gnutls_deinit(session);
    return nullptr;
  }
  gnutls_handshake_set_hook_function(session, GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_HOOK_POST,
                                     client_hello_hook);
  gnutls_anti_replay_enable(session, anti_replay_);
  gnutls_record_set_max_early_data_size(session, 0xffffffffu);
  gnutls_session_set_ptr(session, conn_ref);
  return session;
}

}  // namespace qsip::quic
