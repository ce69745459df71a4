// The data directory and the material qsipd creates there on first start:
//   <data_dir>/                    mode 0700, created if missing
//     tls-cert.pem, tls-key.pem    self-signed ECDSA P-256, when no
//                                  certificate is configured (key 0600)
//     token-signing-key.pem        ECDSA P-256 key for ES256 tokens (0600)
// Existing files are used as they are and never overwritten.
#pragma once

#include <filesystem>
#include <string>
#include <variant>

#include "server/config.hpp"

namespace qsip::server {

inline constexpr const char* kTlsCertFileName = "tls-cert.pem";
inline constexpr const char* kTlsKeyFileName = "tls-key.pem";
inline constexpr const char* kTokenSigningKeyFileName = "token-signing-key.pem";

// Where the server's key material is, and what this start created.
struct ServerMaterial {
  std::filesystem::path data_dir;
  std::filesystem::path cert_file;  // configured, or the data dir's
  std::filesystem::path key_file;
  std::filesystem::path token_signing_key_file;
  bool certificate_configured = false;  // cert and key came from configuration
  bool generated_certificate = false;
  bool generated_token_signing_key = false;
  bool created_data_dir = false;
};

struct DataDirError {
  std::string message;
};

// Creates the data directory and the missing material. Errors: the
// directory cannot be created or is not a directory; a configured
// certificate or key cannot be read; only one of tls-cert.pem and
// tls-key.pem exists (the other is not generated beside it: they would not
// match); generating or writing a file fails.
std::variant<ServerMaterial, DataDirError> prepare_data_dir(const Config& config);

}  // namespace qsip::server
