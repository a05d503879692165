#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>

#include "notify/WebhookRequest.h"

using namespace callgate;
using namespace callgate::mgmt::notify;

namespace {

Poco::JSON::Object::Ptr event(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string header(const WebhookRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<none>";
}

config::Webhook hook() {
  config::Webhook w;
  w.name = "crm";
  w.url = "https://crm.example/hook";
  w.secret = "0123456789abcdef-secret";
  return w;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(webhook_request)

BOOST_AUTO_TEST_CASE(signature_is_hmac_sha256_over_time_dot_body) {
  // Computed independently: HMAC-SHA256("0123456789abcdef-secret",
  // "1796027400.{\"type\":\"call.offered\"}").
  BOOST_TEST(signatureHeader("0123456789abcdef-secret", R"({"type":"call.offered"})", 1796027400) ==
             "t=1796027400,v1=d6c017d4bc891b9a1f391e527f98022722b9ff2fb3d8003159ea1cac89e93736");
}

BOOST_AUTO_TEST_CASE(json_hooks_get_the_event_signed) {
  const auto e = event(R"({"type":"call.answered","call_id":7})");
  const auto r = buildWebhookRequest(hook(), e, "d-1", 1796027400);
  BOOST_TEST(r.contentType == "application/json");
  BOOST_TEST(event(r.body)->getValue<int>("call_id") == 7);
  BOOST_TEST(header(r, "X-Callgate-Event") == "call.answered");
  BOOST_TEST(header(r, "X-Callgate-Delivery") == "d-1");
  BOOST_TEST(header(r, "X-Callgate-Signature") ==
             signatureHeader(hook().secret, r.body, 1796027400));
}

BOOST_AUTO_TEST_CASE(xmlrpc_hooks_get_a_method_call_with_one_struct) {
  auto w = hook();
  w.format = "xmlrpc";
  w.xmlrpc_method = "acd.callEvent";
  w.secret.clear();
  const auto e = event(R"({"type":"call.ended","callme":{"order_id":"O-<2>"}})");
  const auto r = buildWebhookRequest(w, e, "d-2", 1);
  BOOST_TEST(r.contentType == "text/xml");
  BOOST_TEST(r.body.find("<methodName>acd.callEvent</methodName>") != std::string::npos);
  BOOST_TEST(r.body.find("<name>order_id</name>") != std::string::npos);
  BOOST_TEST(r.body.find("O-&lt;2&gt;") != std::string::npos);
  BOOST_TEST(header(r, "X-Callgate-Signature") == "<none>");  // no secret, no signature
}

BOOST_AUTO_TEST_CASE(hooks_choose_events_and_buttons) {
  auto w = hook();
  w.events = "answered, ended";
  BOOST_TEST(!wants(w, *event(R"({"type":"call.offered"})")));
  BOOST_TEST(wants(w, *event(R"({"type":"call.ended"})")));
  BOOST_TEST(!wants(w, *event(R"({"type":"login"})")));
  w.buttons = "sales";
  BOOST_TEST(!wants(w, *event(R"({"type":"call.ended"})")));  // not a Call Me call
  BOOST_TEST(!wants(w, *event(R"({"type":"call.ended","callme":{"button":"support"}})")));
  BOOST_TEST(wants(w, *event(R"({"type":"call.ended","callme":{"button":"sales"}})")));
  w.enabled = false;
  BOOST_TEST(!wants(w, *event(R"({"type":"call.ended","callme":{"button":"sales"}})")));
}

BOOST_AUTO_TEST_SUITE_END()
