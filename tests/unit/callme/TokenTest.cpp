#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/test/unit_test.hpp>

#include "callme/Base64.h"
#include "callme/Token.h"
#include "callme/TokenJson.h"
#include "core/Random.h"

using namespace callgate;
using namespace callgate::callme;

namespace {
const std::string kSecret(32, '\x42');
constexpr int64_t kNow = 1796027400;  // 2026-11-30T08:30:00Z

TokenContext context() {
  return TokenContext{"C-1001", "O-77", {{"cart", "3 items"}, {"tier", "gold"}}};
}

std::string issue(int64_t ttl = 300, int64_t now = kNow, std::string_view button = "sales") {
  core::FakeRandom random(7);
  return issueToken(kSecret, button, context(), ttl, now, random);
}

// A token signed over any payload text, to reach the checks after the signature.
std::string signRaw(std::string_view json) {
  const std::string payload = base64UrlEncode(json);
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &length);
  return payload + "." + base64UrlEncode(std::string(reinterpret_cast<char*>(mac), length));
}

TokenError errorOf(std::string_view token, int64_t now = kNow, std::string_view button = "sales") {
  const auto r = verifyToken(kSecret, token, button, now, 600);
  BOOST_TEST(!r.ok());
  return r.error;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(callme_token)

BOOST_AUTO_TEST_CASE(issued_token_has_the_documented_form) {
  const auto token = issue();
  const auto dot = token.find('.');
  BOOST_REQUIRE(dot != std::string::npos);
  const auto payload = base64UrlDecode(token.substr(0, dot));
  BOOST_REQUIRE(payload.has_value());
  const auto json = parseJsonObject(*payload);
  BOOST_REQUIRE(json.has_value());
  BOOST_TEST(json->find("v")->integer == 1);
  BOOST_TEST(json->find("btn")->string == "sales");
  BOOST_TEST(json->find("iat")->integer == kNow);
  BOOST_TEST(json->find("exp")->integer == kNow + 300);
  BOOST_TEST(json->find("jti")->string.size() == 16U);
  BOOST_TEST(json->find("ctx")->find("customer_id")->string == "C-1001");
  BOOST_TEST(json->find("ctx")->find("data")->find("tier")->string == "gold");
  // The signature is HMAC-SHA256 over the encoded payload, computed here independently.
  BOOST_TEST(token == signRaw(*payload));
  BOOST_TEST(token.find('=') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(valid_token_yields_its_claims) {
  const auto r = verifyToken(kSecret, issue(), "sales", kNow + 299, 600);
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r.claims->button == "sales");
  BOOST_TEST(r.claims->issuedAt == kNow);
  BOOST_TEST(r.claims->expiresAt == kNow + 300);
  BOOST_TEST((r.claims->context == context()));
}

BOOST_AUTO_TEST_CASE(each_refusal_has_its_precise_reason) {
  const auto token = issue();
  BOOST_TEST((errorOf(token, kNow + 300) == TokenError::Expired));
  BOOST_TEST((errorOf(token, kNow - 6) == TokenError::NotYetValid));
  BOOST_TEST(verifyToken(kSecret, token, "sales", kNow - 5, 600).ok());  // clock skew
  BOOST_TEST((errorOf(token, kNow, "support") == TokenError::WrongButton));
  BOOST_TEST((errorOf(issue(601)) == TokenError::TtlTooLong));
  BOOST_TEST(verifyToken(kSecret, issue(600), "sales", kNow, 600).ok());
  BOOST_TEST((verifyToken(std::string(32, 'x'), token, "sales", kNow, 600).error ==
              TokenError::BadSignature));
  BOOST_TEST((verifyToken("", token, "sales", kNow, 600).error == TokenError::BadSignature));
}

BOOST_AUTO_TEST_CASE(any_altered_byte_breaks_the_signature) {
  const auto token = issue();
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '.') continue;
    std::string altered = token;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    const auto r = verifyToken(kSecret, altered, "sales", kNow, 600);
    BOOST_TEST_INFO("byte " << i);
    BOOST_TEST(!r.ok());
    BOOST_TEST((r.error == TokenError::BadSignature || r.error == TokenError::Malformed));
  }
  // A payload swapped in from another token keeps its old signature: refused.
  const auto other = issue(300, kNow, "support");
  const auto swapped = other.substr(0, other.find('.')) + token.substr(token.find('.'));
  BOOST_TEST((errorOf(swapped) == TokenError::BadSignature));
}

BOOST_AUTO_TEST_CASE(malformed_shapes) {
  for (const std::string& bad :
       {std::string(), std::string("abc"), std::string(".abc"), std::string("a.b.c"),
        std::string("abc.!!"), std::string(kMaxTokenBytes + 1, 'a')}) {
    BOOST_TEST((errorOf(bad) == TokenError::Malformed));
  }
  // Signed correctly but not the payload shape.
  for (
      const char* json :
      {R"({"v":2,"btn":"sales","iat":1796027400,"exp":1796027700,"jti":"x"})",
       R"({"v":1,"btn":7,"iat":1796027400,"exp":1796027700,"jti":"x"})",
       R"({"v":1,"btn":"sales","iat":"now","exp":1796027700,"jti":"x"})",
       R"({"v":1,"btn":"sales","iat":1796027400,"exp":1796027700})",
       R"({"v":1,"btn":"sales","iat":1796027400,"exp":1796027300,"jti":"x"})",
       R"({"v":1,"btn":"sales","iat":1796027400,"exp":1796027700,"jti":"x","ctx":[]})",
       R"({"v":1,"btn":"sales","iat":1796027400,"exp":1796027700,"jti":"x","ctx":{"data":{"k":1}}})",
       "not json"}) {
    BOOST_TEST_INFO(json);
    BOOST_TEST((errorOf(signRaw(json)) == TokenError::Malformed));
  }
  // Extreme times cannot overflow the lifetime check.
  BOOST_TEST(
      (errorOf(signRaw(R"({"v":1,"btn":"sales","iat":-9223372036854775808,)"
                       R"("exp":9223372036854775807,"jti":"x"})")) == TokenError::TtlTooLong));
}

BOOST_AUTO_TEST_CASE(context_is_optional) {
  const auto r = verifyToken(
      kSecret, signRaw(R"({"v":1,"btn":"sales","iat":1796027400,"exp":1796027700,"jti":"x"})"),
      "sales", kNow, 600);
  BOOST_REQUIRE(r.ok());
  BOOST_TEST((r.claims->context == TokenContext{}));
}

BOOST_AUTO_TEST_SUITE_END()
