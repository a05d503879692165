#include <boost/test/unit_test.hpp>

#include "SipPrinters.h"
#include "sip/msg/MessageBuilder.h"
#include "sip/msg/SipMessage.h"

using namespace callgate::sip;

BOOST_AUTO_TEST_SUITE(message_builder)

BOOST_AUTO_TEST_CASE(request_round_trip) {
  auto text = MessageBuilder::request(Method::Invite, "sip:agent@192.0.2.10")
                  .header(HeaderId::Via, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx")
                  .header("Max-Forwards", "70")
                  .header(HeaderId::From, "<sip:a@b>;tag=1")
                  .header(HeaderId::To, "<sip:agent@192.0.2.10>")
                  .header(HeaderId::CallId, "cid")
                  .header(HeaderId::CSeq, "1 INVITE")
                  .body("application/sdp", "v=0\r\n")
                  .serialize();
  auto r = SipMessage::parse(text);
  BOOST_REQUIRE(r.message.has_value());
  BOOST_TEST(r.error.empty());
  BOOST_TEST(r.message->body() == "v=0\r\n");
  BOOST_TEST(r.message->headerValue(HeaderId::ContentLength) == "5");
}

BOOST_AUTO_TEST_CASE(header_values_cannot_inject_lines) {
  auto text = MessageBuilder::response(200).header("Subject", "hi\r\nX-Evil: 1").serialize();
  BOOST_TEST(text.find("\r\nX-Evil") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(make_response_copies_the_right_headers) {
  auto r = SipMessage::parse(
      "BYE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h1;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP "
      "h2;branch=z9hG4bK2\r\n"
      "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 7 BYE\r\nMax-Forwards: 70\r\n"
      "Subject: not copied\r\nContent-Length: 0\r\n\r\n");
  auto response = SipMessage::parse(makeResponse(*r.message, 200, {}, "totag").serialize());
  BOOST_REQUIRE(response.message.has_value());
  BOOST_TEST(response.error.empty());
  const auto& m = *response.message;
  BOOST_TEST(m.reasonPhrase() == "OK");
  BOOST_TEST(m.headerValues(HeaderId::Via).size() == 2U);
  BOOST_TEST(m.to()->tag() == "totag");
  BOOST_TEST(m.headerValue(HeaderId::Subject).empty());
  BOOST_TEST(m.cseq()->method == Method::Bye);
}

BOOST_AUTO_TEST_SUITE_END()
