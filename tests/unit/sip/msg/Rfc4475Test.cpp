// Messages modelled on RFC 4475 (SIP torture tests): the valid ones parse to
// the right values, the invalid ones are refused with a reason.

#include <boost/test/unit_test.hpp>

#include "FixtureFile.h"
#include "SipPrinters.h"
#include "sip/msg/SipMessage.h"

using namespace callgate::sip;

namespace {
SipMessage parseValid(const std::string& name) {
  auto r = SipMessage::parse(readFixture("sip/rfc4475/valid/" + name));
  BOOST_TEST_INFO(name << ": " << r.error);
  BOOST_REQUIRE(r.message.has_value());
  BOOST_REQUIRE(r.error.empty());
  return std::move(*r.message);
}
std::string parseInvalid(const std::string& name, int expectedStatus = 400) {
  auto r = SipMessage::parse(readFixture("sip/rfc4475/invalid/" + name));
  BOOST_TEST_INFO(name);
  BOOST_TEST(!r.error.empty());
  if (r.message) BOOST_TEST(r.status == expectedStatus);
  return r.error;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(rfc4475_valid)

BOOST_AUTO_TEST_CASE(wsinv_whitespace_and_folding) {
  const auto m = parseValid("wsinv.sip");
  BOOST_TEST(m.method() == Method::Invite);
  BOOST_TEST(m.to()->tag() == "1918181833n");
  BOOST_TEST(m.from()->tag() == "98asjd8");
  BOOST_TEST(m.from()->displayName == R"(J Rosenberg \\\")");
  BOOST_TEST(m.maxForwards().value() == 68U);
  BOOST_TEST(m.cseq()->number == 9U);
  BOOST_TEST(m.cseq()->method == Method::Invite);
  const auto vias = m.headerValues(HeaderId::Via);
  BOOST_REQUIRE(vias.size() == 3U);
  BOOST_TEST(m.topVia()->host == "192.0.2.2");
  const auto second = Via::parse(vias[1]);
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(second->transport == "TCP");
  BOOST_TEST(second->branch() == "z9hG4bK9ikj8");
  BOOST_TEST(Via::parse(vias[2])->branch() == "z9hG4bK30239");
  BOOST_TEST(m.headerValue("NewFangledHeader").find("continued newfangled value") !=
             std::string_view::npos);
  const auto contact = NameAddr::parse(m.headerValue(HeaderId::Contact));
  BOOST_REQUIRE(contact.has_value());
  BOOST_TEST(contact->param("q").value() == "0.33");
  BOOST_TEST(m.body().size() == 150U);
}

BOOST_AUTO_TEST_CASE(intmeth_unusual_tokens) {
  const auto m = parseValid("intmeth.sip");
  BOOST_TEST(m.method() == Method::Unknown);
  BOOST_TEST(m.methodName() == "!interesting-Method0123456789_*+`.%indeed'~");
  const auto uri = Uri::parse(m.requestUri());
  BOOST_REQUIRE(uri.has_value());
  BOOST_TEST(uri->host == "example.com");
  BOOST_TEST(uri->user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  BOOST_TEST(m.from()->tag() == "_token~1'+`*%!-.");
  BOOST_TEST(m.cseq()->number == 139122385U);
}

BOOST_AUTO_TEST_CASE(esc01_escaped_uris_and_compact_forms) {
  const auto m = parseValid("esc01.sip");
  BOOST_TEST(Uri::parse(m.requestUri())->user == "sips%3Auser%40example.com");
  BOOST_TEST(m.callId() == "esc01.239409asdfakjkn23onasd0-3234");
  BOOST_TEST(m.headerValue(HeaderId::ContentType) == "application/sdp");
  BOOST_TEST(m.to()->uri.user == "%75se%72");
}

BOOST_AUTO_TEST_CASE(escnull_and_two_contacts) {
  const auto m = parseValid("escnull.sip");
  BOOST_TEST(m.method() == Method::Register);
  BOOST_TEST(m.headerValues(HeaderId::Contact).size() == 2U);
  BOOST_TEST(m.to()->uri.user == "null-%00-null");
}

BOOST_AUTO_TEST_CASE(lwsdisp_display_name_without_space) {
  const auto m = parseValid("lwsdisp.sip");
  BOOST_TEST(m.from()->displayName == "caller");
  BOOST_TEST(m.from()->uri.user == "caller");
}

BOOST_AUTO_TEST_CASE(semiuri_semicolon_in_user) {
  const auto m = parseValid("semiuri.sip");
  const auto uri = Uri::parse(m.requestUri());
  BOOST_TEST(uri->user == "user;par=u%40example.net");
  BOOST_TEST(uri->host == "example.com");
  BOOST_TEST(m.headerValues(HeaderId::Accept).size() == 6U);
}

BOOST_AUTO_TEST_CASE(transports_unknown_transport_tokens) {
  const auto m = parseValid("transports.sip");
  const auto vias = m.headerValues(HeaderId::Via);
  BOOST_REQUIRE(vias.size() == 5U);
  BOOST_TEST(Via::parse(vias[1])->transport == "SCTP");
  BOOST_TEST(Via::parse(vias[3])->transport == "UNKNOWN");
}

BOOST_AUTO_TEST_CASE(unreason_utf8_reason_phrase) {
  const auto m = parseValid("unreason.sip");
  BOOST_TEST(m.isResponse());
  BOOST_TEST(m.statusCode() == 200);
  BOOST_TEST(m.reasonPhrase().starts_with("= 2**3 * 5**2 "));
  BOOST_TEST(m.method() == Method::Invite);
}

BOOST_AUTO_TEST_CASE(noreason_empty_reason_phrase) {
  const auto m = parseValid("noreason.sip");
  BOOST_TEST(m.statusCode() == 100);
  BOOST_TEST(m.reasonPhrase().empty());
}

BOOST_AUTO_TEST_CASE(ipv6_hosts) {
  const auto m = parseValid("ipv6.sip");
  const auto uri = Uri::parse(m.requestUri());
  BOOST_TEST(uri->hostIsIpv6);
  BOOST_TEST(uri->host == "2001:db8::10");
  BOOST_TEST(m.topVia()->host == "2001:db8::9:1");
  BOOST_TEST(m.topVia()->hostIsIpv6);
}

BOOST_AUTO_TEST_CASE(longreq_long_values) {
  const auto m = parseValid("longreq.sip");
  BOOST_TEST(Uri::parse(m.requestUri())->user.size() == 300U);
  BOOST_TEST(m.callId().size() > 700U);
  BOOST_TEST(m.headerValues(HeaderId::Via).size() == 2U);
}

BOOST_AUTO_TEST_CASE(mpart01_multipart_body_kept_whole) {
  const auto m = parseValid("mpart01.sip");
  BOOST_TEST(m.method() == Method::Message);
  BOOST_TEST(m.body().size() == 61U);
  BOOST_TEST(m.headerValue(HeaderId::ContentType).starts_with("multipart/mixed"));
}

BOOST_AUTO_TEST_CASE(inv2543_rfc2543_request_without_branch) {
  const auto m = parseValid("inv2543.sip");
  BOOST_TEST(m.topVia()->branch().empty());
  BOOST_TEST(m.topVia()->port == 0);
}

BOOST_AUTO_TEST_CASE(zeromf_max_forwards_zero_is_well_formed) {
  // Whether 483 is due is for the transaction user to decide (OPTIONS may be answered).
  BOOST_TEST(parseValid("zeromf.sip").maxForwards().value() == 0U);
}

BOOST_AUTO_TEST_CASE(cparam01_contact_without_angle_brackets) {
  const auto m = parseValid("cparam01.sip");
  const auto c = NameAddr::parse(m.headerValue(HeaderId::Contact));
  BOOST_TEST(c->uri.user == "+19725552222");
  BOOST_TEST(c->param("unknownparam").has_value());
  BOOST_TEST(c->uri.params.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rfc4475_invalid)

BOOST_AUTO_TEST_CASE(trailing_whitespace_after_version) {
  BOOST_TEST(parseInvalid("trws.sip") == "Bad request line");
}
BOOST_AUTO_TEST_CASE(oversized_scalars_in_a_response) {
  BOOST_TEST(parseInvalid("scalarlg.sip") == "Bad Content-Length");
}
BOOST_AUTO_TEST_CASE(contact_with_uri_headers_needs_angle_brackets) {
  BOOST_TEST(parseInvalid("regbadct.sip") == "Bad Contact");
}

BOOST_AUTO_TEST_CASE(content_length_larger_than_body) {
  BOOST_TEST(parseInvalid("clerr.sip") == "Content-Length larger than body");
}
BOOST_AUTO_TEST_CASE(oversized_scalars) {
  BOOST_TEST(parseInvalid("scalar02.sip") == "Bad CSeq");
}
BOOST_AUTO_TEST_CASE(negative_content_length) {
  BOOST_TEST(parseInvalid("ncl.sip") == "Bad Content-Length");
}
BOOST_AUTO_TEST_CASE(request_uri_in_angle_brackets) {
  BOOST_TEST(parseInvalid("ltgtruri.sip") == "Bad Request-URI");
}
BOOST_AUTO_TEST_CASE(whitespace_inside_request_uri) {
  BOOST_TEST(parseInvalid("lwsruri.sip") == "Bad request line");
}
BOOST_AUTO_TEST_CASE(extra_whitespace_in_request_line) {
  BOOST_TEST(parseInvalid("lwsstart.sip") == "Bad request line");
}
BOOST_AUTO_TEST_CASE(unknown_protocol_version_gets_505) {
  BOOST_TEST(parseInvalid("badvers.sip", 505) == "Version Not Supported");
}
BOOST_AUTO_TEST_CASE(cseq_method_mismatch) {
  BOOST_TEST(parseInvalid("mismatch01.sip") == "CSeq method does not match");
}
BOOST_AUTO_TEST_CASE(repeated_single_value_headers) {
  BOOST_TEST(parseInvalid("multi01.sip").starts_with("Multiple "));
}
BOOST_AUTO_TEST_CASE(missing_mandatory_headers) {
  BOOST_TEST(parseInvalid("insuf.sip") == "Missing From");
}
BOOST_AUTO_TEST_CASE(unbalanced_quotes) {
  BOOST_TEST(parseInvalid("quotbal.sip") == "Bad To");
}
BOOST_AUTO_TEST_CASE(whitespace_inside_angle_brackets) {
  BOOST_TEST(parseInvalid("badaspec.sip") == "Bad To");
}
BOOST_AUTO_TEST_CASE(via_port_out_of_range) {
  BOOST_TEST(parseInvalid("badbranch-space.sip") == "Bad Via");
}

BOOST_AUTO_TEST_SUITE_END()
