#include "server/data_dir.hpp"

#include <gmock/gmock.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "server/temp_dir.hpp"

namespace qsip::server {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

ServerMaterial prepare_ok(const Config& c) {
  auto r = prepare_data_dir(c);
  if (auto* err = std::get_if<DataDirError>(&r)) {
    ADD_FAILURE() << err->message;
    return {};
  }
  return std::get<ServerMaterial>(r);
}

std::string prepare_error(const Config& c) {
  auto r = prepare_data_dir(c);
  if (!std::holds_alternative<DataDirError>(r)) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return std::get<DataDirError>(r).message;
}

Config config_in(const test::TempDir& dir) {
  Config c;
  c.server.data_dir = dir.path() / "data";
  return c;
}

TEST(DataDir, FirstStartCreatesTheDirectoryAndEveryFile) {
  test::TempDir dir;
  Config c = config_in(dir);
  ServerMaterial m = prepare_ok(c);
  EXPECT_TRUE(m.created_data_dir);
  EXPECT_TRUE(m.generated_certificate);
  EXPECT_TRUE(m.generated_token_signing_key);
  EXPECT_FALSE(m.certificate_configured);
  EXPECT_EQ(m.cert_file, c.server.data_dir / "tls-cert.pem");
  EXPECT_EQ(m.key_file, c.server.data_dir / "tls-key.pem");
  EXPECT_EQ(m.token_signing_key_file, c.server.data_dir / "token-signing-key.pem");
  EXPECT_EQ(mode_of(c.server.data_dir), 0700U);
  EXPECT_EQ(mode_of(m.key_file), 0600U);
  EXPECT_EQ(mode_of(m.token_signing_key_file), 0600U);
  EXPECT_THAT(read(m.cert_file), HasSubstr("-----BEGIN CERTIFICATE-----"));
  // Nothing but the three files: no temporaries left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(c.server.data_dir)) ++entries;
  EXPECT_EQ(entries, 3U);
}

TEST(DataDir, TheTokenSigningKeyIsAnEcdsaP256PrivateKeyInPem) {
  test::TempDir dir;
  ServerMaterial m = prepare_ok(config_in(dir));
  std::string pem = read(m.token_signing_key_file);
  EXPECT_THAT(pem, HasSubstr("-----BEGIN PRIVATE KEY-----"));
  gnutls_x509_privkey_t key;
  ASSERT_EQ(gnutls_x509_privkey_init(&key), 0);
  gnutls_datum_t data{reinterpret_cast<unsigned char*>(pem.data()), static_cast<unsigned>(pem.size())};
  ASSERT_EQ(gnutls_x509_privkey_import2(key, &data, GNUTLS_X509_FMT_PEM, nullptr, 0), 0);
  EXPECT_EQ(gnutls_x509_privkey_get_pk_algorithm(key), GNUTLS_PK_ECDSA);
  gnutls_ecc_curve_t curve;
  ASSERT_EQ(gnutls_x509_privkey_export_ecc_raw(key, &curve, nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(curve, GNUTLS_ECC_CURVE_SECP256R1);
  gnutls_x509_privkey_deinit(key);
}

TEST(DataDir, ASecondStartUsesTheFilesAsTheyAre) {
  test::TempDir dir;
  Config c = config_in(dir);
  ServerMaterial first = prepare_ok(c);
  std::string cert = read(first.cert_file), key = read(first.key_file), token = read(first.token_signing_key_file);
  ServerMaterial second = prepare_ok(c);
  EXPECT_FALSE(second.created_data_dir);
  EXPECT_FALSE(second.generated_certificate);
  EXPECT_FALSE(second.generated_token_signing_key);
  EXPECT_EQ(read(second.cert_file), cert);
  EXPECT_EQ(read(second.key_file), key);
  EXPECT_EQ(read(second.token_signing_key_file), token);
}

TEST(DataDir, NeverOverwritesAnExistingFile) {
  test::TempDir dir;
  Config c = config_in(dir);
  fs::create_directory(c.server.data_dir);
  std::ofstream(c.server.data_dir / "token-signing-key.pem") << "mine";
  ServerMaterial m = prepare_ok(c);
  EXPECT_FALSE(m.generated_token_signing_key);
  EXPECT_EQ(read(m.token_signing_key_file), "mine");
  EXPECT_TRUE(m.generated_certificate);
}

TEST(DataDir, RefusesToCompleteAHalfPresentCertificatePair) {
  test::TempDir dir;
  Config c = config_in(dir);
  fs::create_directory(c.server.data_dir);
  std::ofstream(c.server.data_dir / "tls-cert.pem") << "old cert";
  std::string message = prepare_error(c);
  EXPECT_THAT(message, HasSubstr("tls-key.pem"));
  EXPECT_EQ(read(c.server.data_dir / "tls-cert.pem"), "old cert");
  EXPECT_FALSE(fs::exists(c.server.data_dir / "tls-key.pem"));
}

TEST(DataDir, UsesAConfiguredCertificateWithoutGeneratingOne) {
  test::TempDir dir;
  Config c = config_in(dir);
  c.tls.cert_file = dir.path() / "cert.pem";
  c.tls.key_file = dir.path() / "key.pem";
  std::ofstream(c.tls.cert_file) << "cert";
  std::ofstream(c.tls.key_file) << "key";
  ServerMaterial m = prepare_ok(c);
  EXPECT_TRUE(m.certificate_configured);
  EXPECT_FALSE(m.generated_certificate);
  EXPECT_EQ(m.cert_file, c.tls.cert_file);
  EXPECT_FALSE(fs::exists(c.server.data_dir / "tls-cert.pem"));
  EXPECT_TRUE(m.generated_token_signing_key) << "the token key is needed whatever the certificate";
}

TEST(DataDir, AMissingConfiguredCertificateIsAnError) {
  test::TempDir dir;
  Config c = config_in(dir);
  c.tls.cert_file = dir.path() / "nope.pem";
  c.tls.key_file = dir.path() / "nope-key.pem";
  EXPECT_THAT(prepare_error(c), HasSubstr("nope.pem"));
}

TEST(DataDir, ADataDirThatIsAFileIsAnError) {
  test::TempDir dir;
  Config c = config_in(dir);
  std::ofstream(c.server.data_dir) << "x";
  EXPECT_THAT(prepare_error(c), HasSubstr("not a directory"));
}

TEST(DataDir, CreatesMissingParents) {
  test::TempDir dir;
  Config c;
  c.server.data_dir = dir.path() / "a" / "b" / "data";
  ServerMaterial m = prepare_ok(c);
  EXPECT_TRUE(fs::is_regular_file(m.token_signing_key_file));
  EXPECT_EQ(mode_of(c.server.data_dir), 0700U);
}

}  // namespace
}  // namespace qsip::server
