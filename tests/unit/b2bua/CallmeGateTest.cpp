#include <boost/test/unit_test.hpp>

#include "b2bua/CallmeGate.h"
#include "callme/Base64.h"
#include "callme/Token.h"
#include "config/ConfigSnapshot.h"
#include "config/Validation.h"
#include "core/Random.h"

using namespace callgate;
using namespace std::chrono_literals;

namespace {
const std::string kKey(32, '\x33');
constexpr int64_t kMonday0830Utc = 1796027400;  // 2026-11-30T08:30:00Z, 09:30 in Berlin

config::Config sample() {
  config::Config c;
  c.peers = {config::Peer{.name = "cc", .host = "192.0.2.10"}};
  c.callme.token_secret = callme::base64Encode(kKey);
  c.callme.max_calls_per_ip = 2;
  config::Button b;
  b.name = "sales";
  b.peer = "cc";
  b.destination_user = "sales";
  b.allowed_origins = "https://shop.example";
  b.opening_hours = "mon-fri 09:00-18:00";
  b.timezone = "Europe/Berlin";
  b.closed_message = "Open Mon-Fri 9-18.";
  b.max_concurrent_calls = 2;
  c.buttons = {b};
  return c;
}

struct Fixture {
  core::FakeClock clock;
  b2bua::CallmeGate gate{clock};
  uint64_t nextId = 1;
  uint32_t seed = 3;  // a token id (jti) of its own for every token

  explicit Fixture(config::Config c = sample()) { load(std::move(c)); }
  void load(config::Config c) {
    BOOST_REQUIRE(config::validate(c).empty());
    gate.setConfig(config::ConfigSnapshot::build(std::move(c), 1));
  }
  std::string token(std::string_view button = "sales", int64_t ttl = 300,
                    int64_t iat = kMonday0830Utc) {
    core::FakeRandom random(seed++);
    return callme::issueToken(kKey, button, {"C-1", "O-2", {{"cart", "3"}}}, ttl, iat, random);
  }
  b2bua::CallmeDecision admit(std::string_view token, std::string_view button = "sales",
                              std::string_view origin = "https://shop.example",
                              std::string_view ip = "198.51.100.4", int64_t now = kMonday0830Utc) {
    b2bua::CallmeRequest r;
    r.callId = nextId++;
    r.buttonId = button;
    r.origin = origin;
    r.clientIp = ip;
    r.token = token;
    r.pageUrl = "https://shop.example/cart";
    r.pageTitle = "Your cart";
    r.now = std::chrono::system_clock::time_point(std::chrono::seconds(now));
    return gate.admit(r);
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(callme_gate)

BOOST_AUTO_TEST_CASE(valid_call_is_admitted_with_context_headers) {
  Fixture f;
  const auto d = f.admit(f.token());
  BOOST_REQUIRE(d.admitted);
  BOOST_TEST(d.button->name == "sales");
  const callme::HeaderList expected{{"X-Callme-Customer-Id", "C-1"},
                                    {"X-Callme-Order-Id", "O-2"},
                                    {"X-Callme-Page-Url", "https://shop.example/cart"},
                                    {"X-Callme-Page-Title", "Your cart"},
                                    {"X-Callme-Data-cart", "3"}};
  BOOST_TEST((d.headers == expected));
  BOOST_TEST(f.gate.limiter().activeForButton("sales") == 1U);
  f.gate.release(1);
  BOOST_TEST(f.gate.limiter().activeForButton("sales") == 0U);
}

BOOST_AUTO_TEST_CASE(each_refusal_reason) {
  Fixture f;
  const auto t = f.token();
  BOOST_TEST(f.admit(t, "support").reason == "Unknown button");
  BOOST_TEST(f.admit(t, "sales", "https://evil.example").reason == "Origin not allowed");
  BOOST_TEST(f.admit(t, "sales", "").reason == "Origin not allowed");
  // Monday 08:30 in Berlin is 07:30 UTC.
  BOOST_TEST(
      f.admit(t, "sales", "https://shop.example", "198.51.100.4", kMonday0830Utc - 3600).reason ==
      "Closed: Open Mon-Fri 9-18.");
  BOOST_TEST(f.admit("").reason == "Token required");
  BOOST_TEST(f.admit(t + "x").reason == "Token invalid");
  BOOST_TEST(f.admit(f.token("support")).reason == "Token invalid");
  const auto expired = f.admit(f.token("sales", 60, kMonday0830Utc - 120));
  BOOST_TEST(expired.reason == "Token expired");
  BOOST_TEST(expired.detail == "expired");
  BOOST_TEST(f.admit(f.token("sales", 601)).reason == "Token invalid");
  BOOST_TEST(f.gate.limiter().activeCalls() == 0U);  // nothing refused was counted
}

BOOST_AUTO_TEST_CASE(checks_run_in_the_documented_order) {
  config::Config c = sample();
  c.buttons[0].enabled = false;
  Fixture f(c);
  // A disabled button is reported before the origin, hours or token.
  BOOST_TEST(f.admit("", "sales", "https://evil.example").reason == "Button disabled");
  c.buttons[0].enabled = true;
  f.load(c);
  // Origin before hours and token; hours before token.
  BOOST_TEST(f.admit("", "sales", "https://evil.example", "198.51.100.4", 0).reason ==
             "Origin not allowed");
  BOOST_TEST(f.admit("", "sales", "https://shop.example", "198.51.100.4", 0).reason ==
             "Closed: Open Mon-Fri 9-18.");
  c.callme.enabled = false;
  f.load(c);
  BOOST_TEST(f.admit(f.token(), "nope").reason == "Call Me disabled");
}

BOOST_AUTO_TEST_CASE(limits_refuse_with_too_many_calls) {
  Fixture f;
  BOOST_TEST(f.admit(f.token(), "sales", "https://shop.example", "198.51.100.4").admitted);
  BOOST_TEST(f.admit(f.token(), "sales", "https://shop.example", "198.51.100.4").admitted);
  const auto ip = f.admit(f.token(), "sales", "https://shop.example", "198.51.100.4");
  BOOST_TEST(ip.reason == "Too many calls");
  BOOST_TEST(ip.detail == "per-IP concurrent-call limit");
  const auto button = f.admit(f.token(), "sales", "https://shop.example", "198.51.100.5");
  BOOST_TEST(button.reason == "Too many calls");
  BOOST_TEST(button.detail == "button concurrent-call limit");
}

BOOST_AUTO_TEST_CASE(a_token_admits_one_call_unless_reuse_is_allowed) {
  Fixture f;
  const auto t = f.token();
  BOOST_TEST(f.admit(t).admitted);          // call 1
  BOOST_TEST(f.admit(f.token()).admitted);  // call 2, another token
  // A second click while the calls are up: the limits speak first.
  BOOST_TEST(f.admit(t).reason == "Too many calls");
  f.gate.release(2);
  const auto again = f.admit(t, "sales", "https://shop.example", "198.51.100.9");
  BOOST_TEST(again.reason == "Token used");
  BOOST_TEST(f.gate.limiter().activeCalls() == 1U);  // the refused call holds no slot
  // Once expired it is "Token expired", and the id is forgotten.
  BOOST_TEST(
      f.admit(t, "sales", "https://shop.example", "198.51.100.4", kMonday0830Utc + 300).reason ==
      "Token expired");
  BOOST_TEST(f.admit(f.token()).admitted);  // a fresh token is fine

  config::Config c = sample();
  c.callme.single_use_tokens = false;
  Fixture reusable(c);
  const auto shared = reusable.token();
  BOOST_TEST(reusable.admit(shared).admitted);
  reusable.gate.release(1);
  BOOST_TEST(reusable.admit(shared).admitted);
}

BOOST_AUTO_TEST_CASE(optional_token_and_star_origin) {
  config::Config c = sample();
  c.buttons[0].require_token = false;
  c.buttons[0].opening_hours = "";
  c.buttons[0].max_concurrent_calls = 10;
  Fixture f(c);
  const auto d = f.admit("");
  BOOST_REQUIRE(d.admitted);
  // Without a token only the page information travels.
  BOOST_TEST(d.headers.size() == 2U);
  BOOST_TEST(d.headers[0].first == "X-Callme-Page-Url");
  // A token that is presented must still be genuine.
  BOOST_TEST(f.admit("forged.token").reason == "Token invalid");
  c.buttons[0].require_token = true;
  c.buttons[0].allowed_origins = "*";
  f.load(c);
  BOOST_TEST(f.admit(f.token(), "sales", "https://anywhere.example").admitted);
  BOOST_TEST(f.admit(f.token(), "sales", "", "198.51.100.9").admitted);  // no Origin at all
}

BOOST_AUTO_TEST_CASE(reason_header_quotes_its_text) {
  BOOST_TEST(b2bua::reasonHeaderValue(403, "Token expired") ==
             "SIP;cause=403;text=\"Token expired\"");
  BOOST_TEST(b2bua::reasonHeaderValue(403, "Closed: \"soon\" \\o/") ==
             "SIP;cause=403;text=\"Closed: \\\"soon\\\" \\\\o/\"");
}

BOOST_AUTO_TEST_SUITE_END()
