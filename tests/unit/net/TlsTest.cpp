#include <boost/test/unit_test.hpp>

#include "net/SelfSignedCertificate.h"
#include "net/TlsContext.h"

using namespace callgate::net;

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(self_signed_certificate_loads_into_a_server_context) {
  const auto pem = generateSelfSignedCertificate("callgate", {"127.0.0.1", "::1", "localhost"}, 30);
  BOOST_TEST(pem.certificatePem.starts_with("-----BEGIN CERTIFICATE-----"));
  BOOST_TEST(pem.privateKeyPem.find("PRIVATE KEY") != std::string::npos);
  auto ctx = TlsContext::server(pem.certificatePem, pem.privateKeyPem);
  BOOST_TEST(ctx->isServer());
}

BOOST_AUTO_TEST_CASE(mismatched_key_is_refused) {
  const auto a = generateSelfSignedCertificate("a", {}, 1);
  const auto b = generateSelfSignedCertificate("b", {}, 1);
  BOOST_CHECK_THROW(TlsContext::server(a.certificatePem, b.privateKeyPem), std::runtime_error);
  BOOST_CHECK_THROW(TlsContext::server("not pem", a.privateKeyPem), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
