#include <boost/test/unit_test.hpp>

#include "SipPrinters.h"
#include "sip/msg/HeaderTypes.h"

using namespace callgate::sip;

BOOST_AUTO_TEST_SUITE(header_types)

BOOST_AUTO_TEST_CASE(compact_and_case_insensitive_names) {
  BOOST_TEST(static_cast<int>(headerIdFor("i")) == static_cast<int>(HeaderId::CallId));
  BOOST_TEST(static_cast<int>(headerIdFor("CALL-id")) == static_cast<int>(HeaderId::CallId));
  BOOST_TEST(static_cast<int>(headerIdFor("x")) == static_cast<int>(HeaderId::SessionExpires));
  BOOST_TEST(static_cast<int>(headerIdFor("X-Custom")) == static_cast<int>(HeaderId::Unknown));
  BOOST_TEST(canonicalHeaderName(HeaderId::WwwAuthenticate) == "WWW-Authenticate");
}

BOOST_AUTO_TEST_CASE(uri_parts) {
  const auto u = Uri::parse("sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?subject=hi");
  BOOST_REQUIRE(u.has_value());
  BOOST_TEST(u->scheme == "sips");
  BOOST_TEST(u->user == "alice");
  BOOST_TEST(u->password == "secret");
  BOOST_TEST(u->host == "2001:db8::1");
  BOOST_TEST(u->port == 5061);
  BOOST_TEST(u->param("transport").value() == "tcp");
  BOOST_TEST(u->param("lr").value().empty());
  BOOST_TEST(!u->param("maddr").has_value());
  BOOST_TEST(u->headers == "subject=hi");
}

BOOST_AUTO_TEST_CASE(bad_uris) {
  for (const char* text : {"", "sip:", "sip:@host", "sip:user@", "sip:host:99999", "sip:ho st",
                           "sip:[::1", "1sip:host", "sip:user@host;a b"}) {
    BOOST_TEST_INFO(text);
    BOOST_TEST(!Uri::parse(text).has_value());
  }
  BOOST_TEST(Uri::parse("tel:+15551234567")->isSip() == false);
}

BOOST_AUTO_TEST_CASE(name_addr_forms) {
  auto a = NameAddr::parse("sip:bob@example.com;tag=abc");
  BOOST_TEST(a->uriText == "sip:bob@example.com");
  BOOST_TEST(a->tag() == "abc");
  auto b = NameAddr::parse("Bob Smith <sip:bob@example.com;transport=tcp>;tag=x;expires=60");
  BOOST_TEST(b->displayName == "Bob Smith");
  BOOST_TEST(b->uri.param("transport").value() == "tcp");
  BOOST_TEST(b->param("expires").value() == "60");
  BOOST_TEST(!NameAddr::parse("<sip:bob@example.com").has_value());
  BOOST_TEST(!NameAddr::parse("\"unterminated <sip:bob@example.com>").has_value());
}

BOOST_AUTO_TEST_CASE(via_forms) {
  auto v = Via::parse("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks;rport");
  BOOST_REQUIRE(v.has_value());
  BOOST_TEST(v->transport == "WSS");
  BOOST_TEST(v->host == "df7jal23ls0d.invalid");
  BOOST_TEST(v->port == 0);
  BOOST_TEST(v->param("rport").value().empty());
  auto w =
      Via::parse("SIP / 2.0 / UDP 192.0.2.1 : 5080 ;branch=z9hG4bKa;received=10.0.0.1;rport=5081");
  BOOST_REQUIRE(w.has_value());
  BOOST_TEST(w->port == 5080);
  BOOST_TEST(w->param("rport").value() == "5081");
  BOOST_TEST(!Via::parse("SIP/2.0 192.0.2.1").has_value());
  BOOST_TEST(!Via::parse("SIP/2.0/UDP").has_value());
}

BOOST_AUTO_TEST_CASE(cseq_forms) {
  BOOST_TEST(CSeq::parse("1 INVITE")->number == 1U);
  BOOST_TEST(CSeq::parse("  42   BYE ")->method == Method::Bye);
  BOOST_TEST(!CSeq::parse("2147483648 INVITE").has_value());
  BOOST_TEST(!CSeq::parse("INVITE").has_value());
  BOOST_TEST(!CSeq::parse("1 INVITE extra").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
