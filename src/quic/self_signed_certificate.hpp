// Self-signed certificate generation for development servers and tests, and
// the SHA-256 pin a client uses to trust such a certificate without a CA.
#pragma once

#include <string>

namespace qsip::quic {

// Creates an ECDSA P-256 key and a self-signed X.509 v3 certificate valid for
// 10 years, with subjectAltName = common_name (DNS name, or IP address when it
// parses as one), "localhost", 127.0.0.1 and ::1, and writes both as PEM.
// The key file is created with mode 0600; existing files are replaced.
//
// Throws std::runtime_error naming the failing step (GnuTLS error text, or
// the path and errno text when a file cannot be written).
void generate_self_signed_certificate(const std::string& cert_pem_path,
                                      const std::string& key_pem_path,
                                      const std::string& common_name);

// Returns the lowercase hex SHA-256 of the DER encoding of the first
// certificate in the PEM file (64 characters), the value a client pins.
//
// Throws std::runtime_error when the file cannot be read or holds no
// certificate.
std::string certificate_sha256_pin(const std::string& cert_pem_path);

}  // namespace qsip::quic
