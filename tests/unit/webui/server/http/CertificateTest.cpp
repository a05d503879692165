#include <boost/test/unit_test.hpp>

#include "TestCertificates.h"
#include "http/Certificate.h"
#include "http/TlsServerContext.h"

using namespace callgate::mgmt::http;
using namespace callgate::mgmt::http::test;

BOOST_AUTO_TEST_SUITE(certificate)

BOOST_AUTO_TEST_CASE(describes_subject_issuer_validity_and_fingerprint) {
  const auto m = makeCertificate(makeKey("EC"), "mgmt.example.com", -1, 30);
  const auto info = describeCertificate(m.certificatePem);
  BOOST_REQUIRE(info);
  BOOST_TEST(info->subject == "CN=mgmt.example.com");
  BOOST_TEST(info->issuer == "CN=mgmt.example.com");
  BOOST_TEST(info->keyType == "EC P-256");
  BOOST_TEST(info->chainLength == 0U);
  // "2026-11-30T01:20:22Z"
  BOOST_TEST(info->notBefore.size() == 20U);
  BOOST_TEST(info->notAfter.back() == 'Z');
  BOOST_TEST(info->notBefore < info->notAfter);
  // 32 bytes as 64 hex digits and 31 colons; the same as OpenSSL computes.
  BOOST_TEST(info->sha256Fingerprint.size() == 95U);
  unsigned char digest[32];
  unsigned int n = 0;
  X509_digest(m.cert.get(), EVP_sha256(), digest, &n);
  char first[3];
  std::snprintf(first, sizeof first, "%02X", digest[0]);
  BOOST_TEST(info->sha256Fingerprint.substr(0, 2) == first);
  // A chain certificate after the leaf is counted.
  const auto other = makeCertificate(makeKey("EC"), "ca");
  BOOST_TEST(describeCertificate(m.certificatePem + other.certificatePem)->chainLength == 1U);
}

BOOST_AUTO_TEST_CASE(no_certificate_is_nullopt) {
  BOOST_TEST(!describeCertificate(""));
  BOOST_TEST(
      !describeCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
}

BOOST_AUTO_TEST_CASE(accepts_ec_p256_p384_and_rsa_2048) {
  const std::time_t now = std::time(nullptr);
  for (const auto& curve : {"P-256", "P-384"}) {
    const auto m = makeCertificate(makeKey("EC", 0, curve), "ok");
    BOOST_TEST(!checkIdentity(m.certificatePem, m.privateKeyPem, now), curve);
  }
  const auto rsa = makeCertificate(makeKey("RSA", 2048), "rsa");
  BOOST_TEST(!checkIdentity(rsa.certificatePem, rsa.privateKeyPem, now));
  BOOST_TEST(describeCertificate(rsa.certificatePem)->keyType == "RSA 2048");
}

BOOST_AUTO_TEST_CASE(refuses_weak_keys_mismatch_and_expiry_naming_the_field) {
  const std::time_t now = std::time(nullptr);
  const auto small = makeCertificate(makeKey("RSA", 1024), "small");
  auto p = checkIdentity(small.certificatePem, small.privateKeyPem, now);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->field == "private_key_pem");
  BOOST_TEST(p->message.find("2048") != std::string::npos);

  const auto p521 = makeCertificate(makeKey("EC", 0, "P-521"), "p521");
  p = checkIdentity(p521.certificatePem, p521.privateKeyPem, now);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->field == "private_key_pem");

  const auto a = makeCertificate(makeKey("EC"), "a");
  const auto b = makeCertificate(makeKey("EC"), "b");
  p = checkIdentity(a.certificatePem, b.privateKeyPem, now);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->field == "private_key_pem");
  BOOST_TEST(p->message == "the key does not belong to the certificate");

  const auto expired = makeCertificate(makeKey("EC"), "old", -30, -1);
  p = checkIdentity(expired.certificatePem, expired.privateKeyPem, now);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->field == "certificate_pem");
  BOOST_TEST(p->message.starts_with("expired on "));

  const auto future = makeCertificate(makeKey("EC"), "later", 2, 30);
  p = checkIdentity(future.certificatePem, future.privateKeyPem, now);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->message.starts_with("not valid before "));
  // The same certificate is fine three days on: the clock is the caller's.
  BOOST_TEST(!checkIdentity(future.certificatePem, future.privateKeyPem, now + 3 * 86400));

  p = checkIdentity("garbage", a.privateKeyPem, now);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->field == "certificate_pem");
  p = checkIdentity(a.certificatePem, "garbage", now);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->field == "private_key_pem");
}

BOOST_AUTO_TEST_CASE(encrypted_keys_are_refused_not_prompted_for) {
  const auto m = makeCertificate(makeKey("EC"), "enc");
  ossl::Bio out(BIO_new(BIO_s_mem()));
  char pass[] = "secret";
  PEM_write_bio_PKCS8PrivateKey(out.get(), m.key.get(), EVP_aes_256_cbc(), pass, 6, nullptr,
                                nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  const auto p = checkIdentity(m.certificatePem, std::string(data, static_cast<size_t>(n)),
                               std::time(nullptr));
  BOOST_REQUIRE(p);
  BOOST_TEST(p->field == "private_key_pem");
}

BOOST_AUTO_TEST_CASE(pkcs12_opens_with_the_right_password_only) {
  const auto m = makeCertificate(makeKey("EC"), "bundle");
  const auto p12 = pkcs12Of(m, "p12 password");
  std::string error;
  const auto pem = pkcs12ToPem(p12, "p12 password", error);
  BOOST_REQUIRE_MESSAGE(pem, error);
  BOOST_TEST(pem->certificatePem == m.certificatePem);
  BOOST_TEST(!checkIdentity(pem->certificatePem, pem->privateKeyPem, std::time(nullptr)));
  BOOST_TEST(!pkcs12ToPem(p12, "wrong", error));
  BOOST_TEST(error.find("wrong password") != std::string::npos);
  BOOST_TEST(!pkcs12ToPem("not der at all", "", error));
  BOOST_TEST(error.starts_with("not a PKCS#12 file"));
  BOOST_TEST(!pkcs12ToPem(p12.substr(0, p12.size() / 2), "p12 password", error));
}

BOOST_AUTO_TEST_CASE(server_identity_swaps_and_keeps_the_old_one_on_bad_input) {
  const auto a = makeCertificate(makeKey("EC"), "a");
  const auto b = makeCertificate(makeKey("EC"), "b");
  ServerIdentity identity(a.certificatePem, a.privateKeyPem);
  const auto first = identity.current();
  BOOST_CHECK_THROW(identity.replace(b.certificatePem, a.privateKeyPem), std::runtime_error);
  BOOST_TEST(identity.current() == first);
  identity.replace(b.certificatePem, b.privateKeyPem);
  BOOST_TEST(identity.current() != first);
  BOOST_CHECK_THROW(ServerIdentity("", ""), std::runtime_error);
  // A context can be built over it (the handshake path is exercised by the
  // integration test, which uploads a certificate and reconnects).
  BOOST_TEST(makeServerContext(identity)->sslContext() != nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
