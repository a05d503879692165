#include <boost/test/unit_test.hpp>

#include "sip/auth/Digest.h"

using namespace callgate::sip::auth;

namespace {
std::string responseOf(const std::string& authorization) {
  const auto start = authorization.find("response=\"") + 10;
  return authorization.substr(start, authorization.find('"', start) - start);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(digest)

// RFC 2617 §3.5.
BOOST_AUTO_TEST_CASE(rfc2617_example) {
  auto c = parseChallenge(
      "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  BOOST_REQUIRE(c.has_value());
  const auto a =
      buildAuthorization(*c, {"Mufasa", "Circle Of Life"}, "GET", "/dir/index.html", "0a4f113b", 1);
  BOOST_TEST(responseOf(a) == "6629fae49393a05397450978507c4ef1");
  BOOST_TEST(a.find("nc=00000001") != std::string::npos);
  BOOST_TEST(a.find("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"") != std::string::npos);
}

// RFC 7616 §3.9.1, SHA-256 and MD5 with the same inputs.
BOOST_AUTO_TEST_CASE(rfc7616_examples) {
  const std::string params =
      "realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
      "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
      "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
  auto sha = parseChallenge("Digest " + params + ", algorithm=SHA-256");
  BOOST_REQUIRE(sha.has_value());
  const std::string cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  BOOST_TEST(responseOf(buildAuthorization(*sha, {"Mufasa", "Circle of Life"}, "GET",
                                           "/dir/index.html", cnonce, 1)) ==
             "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  auto md5 = parseChallenge("Digest " + params + ", algorithm=MD5");
  BOOST_TEST(responseOf(buildAuthorization(*md5, {"Mufasa", "Circle of Life"}, "GET",
                                           "/dir/index.html", cnonce, 1)) ==
             "8ca523f5e9506fed4657c9700eebdbec");
}

BOOST_AUTO_TEST_CASE(challenge_parsing_edge_cases) {
  auto c =
      parseChallenge(R"(Digest realm="a, \"quoted\" realm", nonce="n", stale=TRUE, algorithm=md5)");
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->realm == "a, \"quoted\" realm");
  BOOST_TEST(c->stale);
  BOOST_TEST(c->algorithm == "MD5");
  std::string error;
  BOOST_TEST(!parseChallenge("Digest nonce=\"n\"", &error).has_value());
  BOOST_TEST(error == "challenge without realm");
  BOOST_TEST(!parseChallenge("Digest realm=\"r\"", &error).has_value());
  BOOST_TEST(!parseChallenge("Basic realm=\"r\"", &error).has_value());
  BOOST_TEST(!parseChallenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", &error));
  BOOST_TEST(!parseChallenge("Digest realm=\"r\", realm=\"s\", nonce=\"n\"", &error));
}

BOOST_AUTO_TEST_CASE(no_qop_uses_the_rfc2069_form) {
  auto c = parseChallenge("Digest realm=\"asterisk\", nonce=\"1234abcd\"");
  const auto a = buildAuthorization(*c, {"1000", "secret"}, "INVITE", "sip:100@192.0.2.1", "x", 1);
  BOOST_TEST(a.find("qop=") == std::string::npos);
  BOOST_TEST(a.find("cnonce") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
