#include <boost/test/unit_test.hpp>
#include <string>

#include "SipPrinters.h"
#include "sip/msg/SipMessage.h"

using namespace callgate::sip;

namespace {
const std::string kInvite =
    "INVITE sip:agent@192.0.2.10:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 198.51.100.1:5062;branch=z9hG4bK776asdhds;rport\r\n"
    "Via: SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKnashds8;received=192.0.2.1\r\n"
    "Max-Forwards: 70\r\n"
    "To: Agent <sip:agent@192.0.2.10>\r\n"
    "From: \"Alice, Shopper\" <sip:alice@shop.example>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.shop.example\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@198.51.100.1:5062>, <sip:alice@203.0.113.9>;q=0.5\r\n"
    "Supported: timer, replaces\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";
}

BOOST_AUTO_TEST_SUITE(sip_message)

BOOST_AUTO_TEST_CASE(parses_request_and_accessors) {
  auto r = SipMessage::parse(kInvite);
  BOOST_REQUIRE(r.message.has_value());
  BOOST_TEST(r.error.empty());
  const auto& m = *r.message;
  BOOST_TEST(m.isRequest());
  BOOST_TEST(m.method() == Method::Invite);
  BOOST_TEST(m.requestUri() == "sip:agent@192.0.2.10:5060");
  BOOST_TEST(m.topVia()->port == 5062);
  BOOST_TEST(m.topVia()->param("rport").value().empty());
  BOOST_TEST(m.from()->displayName == "Alice, Shopper");
  BOOST_TEST(m.from()->tag() == "1928301774");
  BOOST_TEST(m.headerValues(HeaderId::Contact).size() == 2U);
  BOOST_TEST(m.headerValues(HeaderId::Supported).size() == 2U);
  BOOST_TEST(m.headerValues(HeaderId::Via).size() == 2U);
  BOOST_TEST(m.body() == "v=0\n");
}

BOOST_AUTO_TEST_CASE(views_survive_copy_and_move) {
  auto r = SipMessage::parse(kInvite);
  SipMessage copy = *r.message;
  SipMessage moved = std::move(*r.message);
  r.message.reset();
  BOOST_TEST(copy.callId() == "a84b4c76e66710@pc33.shop.example");
  BOOST_TEST(moved.callId() == "a84b4c76e66710@pc33.shop.example");
  BOOST_TEST(copy.body() == "v=0\n");
  BOOST_TEST(copy.raw() == kInvite);
}

BOOST_AUTO_TEST_CASE(content_length_shorter_than_datagram_truncates_body) {
  std::string text = kInvite + "trailing garbage";
  auto r = SipMessage::parse(text);
  BOOST_REQUIRE(r.message.has_value());
  BOOST_TEST(r.error.empty());
  BOOST_TEST(r.message->body() == "v=0\n");
}

BOOST_AUTO_TEST_CASE(conflicting_content_lengths_are_refused) {
  std::string text = kInvite;
  text.insert(text.find("Content-Length"), "l: 5\r\n");
  auto r = SipMessage::parse(text);
  BOOST_TEST(!r.error.empty());
}

BOOST_AUTO_TEST_CASE(size_and_header_limits) {
  ParseLimits limits;
  limits.maxMessageBytes = 100;
  auto big = SipMessage::parse(kInvite, limits);
  BOOST_TEST(!big.message.has_value());
  BOOST_TEST(big.status == 513);
  limits = ParseLimits{};
  limits.maxHeaders = 5;
  auto many = SipMessage::parse(kInvite, limits);
  BOOST_TEST(many.error == "Too many headers");
}

BOOST_AUTO_TEST_CASE(garbage_is_not_a_message) {
  for (const char* text : {"", "\r\n\r\n", "hello", "INVITE\r\n\r\n", "SIP/2.0 2000 OK\r\n\r\n",
                           "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    auto r = SipMessage::parse(text);
    BOOST_TEST_INFO(text);
    BOOST_TEST(!r.error.empty());
  }
}

BOOST_AUTO_TEST_CASE(bare_lf_line_endings_are_accepted) {
  std::string text = kInvite;
  std::string lf;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\r\n") == 0) continue;
    lf.push_back(text[i]);
  }
  auto r = SipMessage::parse(lf);
  BOOST_REQUIRE(r.message.has_value());
  BOOST_TEST(r.error.empty());
  BOOST_TEST(r.message->cseq()->number == 314159U);
}

BOOST_AUTO_TEST_CASE(response_takes_method_from_cseq) {
  auto r = SipMessage::parse(
      "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
      "To: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n");
  BOOST_REQUIRE(r.message.has_value());
  BOOST_TEST(r.message->isResponse());
  BOOST_TEST(r.message->statusCode() == 180);
  BOOST_TEST(r.message->method() == Method::Invite);
}

BOOST_AUTO_TEST_SUITE_END()
