// Tests of the self-signed certificate helper: files, modes, SANs and pin.
#include "quic/self_signed_certificate.hpp"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class SelfSignedCertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("qsip-cert-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SelfSignedCertificateTest, WritesKeyWithMode0600AndCertificateWithSans) {
  const auto cert = (dir_ / "cert.pem").string();
  const auto key = (dir_ / "key.pem").string();
  qsip::quic::generate_self_signed_certificate(cert, key, "qsip.example");

  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(read_all(key).find("BEGIN PRIVATE KEY"), std::string::npos);

  std::string pem = read_all(cert);
  gnutls_datum_t d{reinterpret_cast<unsigned char*>(pem.data()),
                   static_cast<unsigned>(pem.size())};
  gnutls_x509_crt_t crt;
  ASSERT_EQ(gnutls_x509_crt_init(&crt), 0);
  ASSERT_EQ(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM), 0);
  EXPECT_NE(gnutls_x509_crt_check_hostname(crt, "qsip.example"), 0u);
  EXPECT_NE(gnutls_x509_crt_check_hostname(crt, "localhost"), 0u);
  EXPECT_NE(gnutls_x509_crt_check_hostname(crt, "127.0.0.1"), 0u);
  EXPECT_NE(gnutls_x509_crt_check_hostname(crt, "::1"), 0u);
  EXPECT_EQ(gnutls_x509_crt_check_hostname(crt, "other.example"), 0u);
  unsigned bits = 0;
  EXPECT_EQ(gnutls_x509_crt_get_pk_algorithm(crt, &bits), GNUTLS_PK_ECDSA);
  const time_t years = (gnutls_x509_crt_get_expiration_time(crt) -
                        gnutls_x509_crt_get_activation_time(crt)) /
                       (365 * 24 * 3600);
  EXPECT_GE(years, 10);
  gnutls_x509_crt_deinit(crt);
}

TEST_F(SelfSignedCertificateTest, PinIsStableHexSha256) {
  const auto cert = (dir_ / "cert.pem").string();
  qsip::quic::generate_self_signed_certificate(cert, (dir_ / "key.pem").string(), "localhost");
  const std::string pin = qsip::quic::certificate_sha256_pin(cert);
  EXPECT_EQ(pin.size(), 64u);
  EXPECT_EQ(pin.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(pin, qsip::quic::certificate_sha256_pin(cert));
}

TEST_F(SelfSignedCertificateTest, FailuresThrowWithClearMessage) {
  EXPECT_THROW(qsip::quic::generate_self_signed_certificate(
                   (dir_ / "no/such/dir/c.pem").string(), (dir_ / "no/such/k.pem").string(),
                   "localhost"),
               std::runtime_error);
  EXPECT_THROW(qsip::quic::certificate_sha256_pin((dir_ / "missing.pem").string()),
               std::runtime_error);
}

}  // namespace
