// The key qsipd signs its access tokens with (ES256 JWTs, next issue): an
// ECDSA P-256 private key in PKCS#8 PEM, generated with GnuTLS.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace qsip::server {

// The PEM text of a new ECDSA P-256 private key ("BEGIN PRIVATE KEY").
// Returns nullopt and sets `why` when GnuTLS fails.
std::optional<std::string> generate_token_signing_key_pem(std::string* why);

}  // namespace qsip::server
