// Messages modelled on RFC 4475 (SIP torture tests): the valid ones parse to
// the right values, the invalid ones are refused with a reason. Messages the
// RFC calls well formed but wrong above the parser (§3.2, §3.3) parse, and the
// tests check the values the transaction user needs to refuse them.

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
ParseResult parseFixture(const std::string& relative) {
  return SipMessage::parse(readFixture("sip/rfc4475/" + relative));
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
  // §3.1.1.7: long display names, parameters, Call-ID and 34 Via values.
  const auto m = parseValid("longreq.sip");
  BOOST_TEST(m.headerValues(HeaderId::Via).size() == 34U);
  BOOST_TEST(m.to()->displayName.size() > 90U);
  BOOST_TEST(m.to()->uri.port == 6000);
  BOOST_TEST(m.callId().size() > 100U);
  BOOST_TEST(m.from()->uri.user.size() > 100U);
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

BOOST_AUTO_TEST_CASE(esc02_percent_is_not_an_escape_outside_uris) {
  // §3.1.1.5: % escapes only exist inside SIP URIs; elsewhere it is a plain
  // token character, so this is an unknown method, not REGISTER.
  const auto m = parseValid("esc02.sip");
  BOOST_TEST(m.method() == Method::Unknown);
  BOOST_TEST(m.methodName() == "RE%47IST%45R");
  BOOST_TEST(m.cseq()->methodName == "RE%47IST%45R");
  BOOST_TEST(m.cseq()->number == 29344U);
  BOOST_TEST(m.to()->displayName == "%Z%45");
  BOOST_TEST(m.from()->displayName == "%Z%45");
  BOOST_TEST(m.from()->tag() == "f232jadfj23");
  BOOST_TEST(m.topVia()->branch() == "z9hG4bK209%fzsnel234");
  // Two Contact values; "C%6Fntact" is an unknown header, not a third one.
  const auto contacts = m.headerValues(HeaderId::Contact);
  BOOST_REQUIRE(contacts.size() == 2U);
  BOOST_TEST(NameAddr::parse(contacts[0])->uri.user == "alias1");
  BOOST_TEST(NameAddr::parse(contacts[1])->uri.user == "alias3");
  BOOST_TEST(m.headerValue("C%6Fntact") == "<sip:alias2@host2.example.com>");
}

BOOST_AUTO_TEST_CASE(dblreq_octets_after_the_body_are_ignored) {
  // §3.1.1.8 and RFC 3261 §18.3: Content-Length 0 ends the REGISTER; the
  // INVITE-looking octets after it in the same datagram are noise.
  const auto m = parseValid("dblreq.sip");
  BOOST_TEST(m.method() == Method::Register);
  BOOST_TEST(m.callId() == "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
  BOOST_TEST(m.body().empty());
  BOOST_TEST(m.headers().size() == 8U);
  BOOST_TEST(m.headerValues(HeaderId::Via).size() == 1U);
  BOOST_TEST(m.topVia()->branch() == "z9hG4bKkdjuw23492");
  BOOST_TEST(m.find(HeaderId::ContentType) == nullptr);
  BOOST_TEST(m.cseq()->method == Method::Register);
  const auto contact = NameAddr::parse(m.headerValue(HeaderId::Contact));
  BOOST_REQUIRE(contact.has_value());
  BOOST_TEST(contact->uri.host == "host.example.com");
}

BOOST_AUTO_TEST_CASE(baddate_non_gmt_date_is_left_to_its_consumer) {
  // §3.1.2.12: only GMT is legal (RFC 3261 §20.17), but an element should not
  // reject for it unless it uses Date; the parser hands the value up as sent.
  const auto m = parseValid("baddate.sip");
  BOOST_TEST(m.method() == Method::Invite);
  BOOST_TEST(m.headerValue(HeaderId::Date) == "Fri, 01 Jan 2010 16:00:00 EST");
  BOOST_TEST(m.body().size() == 150U);
}

BOOST_AUTO_TEST_CASE(badbranch_magic_cookie_without_identifier) {
  // §3.2.1: the transaction layer sees a branch that is only the RFC 3261
  // cookie and may answer 400 or fall back to RFC 2543 matching.
  const auto m = parseValid("badbranch.sip");
  BOOST_TEST(m.topVia()->branch() == "z9hG4bK");
  BOOST_TEST(m.topVia()->host == "192.0.2.1");
  BOOST_TEST(m.cseq()->method == Method::Options);
  BOOST_TEST(m.headerValue(HeaderId::Accept) == "application/sdp");
}

BOOST_AUTO_TEST_CASE(unkscm_unknown_request_uri_scheme) {
  // §3.3.2: well formed; the answer is 416, and routing on the (SIP) To URI
  // instead would be wrong.
  const auto m = parseValid("unkscm.sip");
  const auto uri = Uri::parse(m.requestUri());
  BOOST_REQUIRE(uri.has_value());
  BOOST_TEST(uri->scheme == "nobodyKnowsThisScheme");
  BOOST_TEST(!uri->isSip());
  BOOST_TEST(uri->user == "totallyopaquecontent");
  BOOST_TEST(m.to()->uri.isSip());
}

BOOST_AUTO_TEST_CASE(novelsc_registered_but_atypical_scheme) {
  // §3.3.3: a registered scheme that SIP elements rarely route; 416 or 404.
  const auto m = parseValid("novelsc.sip");
  const auto uri = Uri::parse(m.requestUri());
  BOOST_REQUIRE(uri.has_value());
  BOOST_TEST(uri->scheme == "soap.beep");
  BOOST_TEST(!uri->isSip());
  BOOST_TEST(uri->user == "//192.0.2.103:3002");
  BOOST_TEST(m.topVia()->transport == "TCP");
}

BOOST_AUTO_TEST_CASE(unksm2_non_sip_schemes_in_to_from_contact) {
  // §3.3.4: syntactically valid; a registrar answers 400 because the To AOR
  // is not a SIP or SIPS URI.
  const auto m = parseValid("unksm2.sip");
  BOOST_TEST(m.method() == Method::Register);
  BOOST_TEST(m.to()->uri.scheme == "isbn");
  BOOST_TEST(!m.to()->uri.isSip());
  BOOST_TEST(m.to()->tag().empty());
  BOOST_TEST(m.from()->uri.scheme == "http");
  BOOST_TEST(m.from()->tag() == "3234233");
  const auto contact = NameAddr::parse(m.headerValue(HeaderId::Contact));
  BOOST_REQUIRE(contact.has_value());
  BOOST_TEST(contact->uri.scheme == "name");
  BOOST_TEST(contact->uri.user == "John_Smith");
  BOOST_TEST(m.topVia()->port == 5060);
}

BOOST_AUTO_TEST_CASE(bext01_unsupported_extensions_are_listed) {
  // §3.3.5: the answer is 420 with an Unsupported header built from these.
  const auto m = parseValid("bext01.sip");
  const auto require = m.headerValues(HeaderId::Require);
  BOOST_REQUIRE(require.size() == 2U);
  BOOST_TEST(require[0] == "nothingSupportsThis");
  BOOST_TEST(require[1] == "nothingSupportsThisEither");
  const auto proxyRequire = m.headerValues(HeaderId::ProxyRequire);
  BOOST_REQUIRE(proxyRequire.size() == 2U);
  BOOST_TEST(proxyRequire[0] == "noProxiesSupportThis");
  BOOST_TEST(proxyRequire[1] == "norDoAnyProxiesSupportThis");
  BOOST_TEST(m.topVia()->transport == "TLS");
  BOOST_TEST(m.topVia()->host == "fold-and-staple.example.com");
}

BOOST_AUTO_TEST_CASE(invut_unknown_content_type_keeps_its_body) {
  // §3.3.6: an endpoint answers 415; the body is framed like any other.
  const auto m = parseValid("invut.sip");
  BOOST_TEST(m.headerValue(HeaderId::ContentType) == "application/unknownformat");
  BOOST_TEST(m.body() == "<audio>\r\n <pcmu port=\"443\"/>\r\n</audio>\r\n");
}

BOOST_AUTO_TEST_CASE(regaut01_unknown_authorization_scheme_kept_verbatim) {
  // §3.3.7: a registrar ignores it or challenges with a scheme it knows.
  const auto m = parseValid("regaut01.sip");
  BOOST_TEST(m.method() == Method::Register);
  BOOST_TEST(m.headerValue(HeaderId::Authorization) == "NoOneKnowsThisScheme opaque-data=here");
  BOOST_TEST(m.headerValue(HeaderId::ContentLength) == "0");
  BOOST_TEST(m.body().empty());
}

BOOST_AUTO_TEST_CASE(bcast_response_with_broadcast_via) {
  // §3.3.10: well formed; a proxy must drop it rather than send it to the
  // broadcast address in the second Via.
  const auto m = parseValid("bcast.sip");
  BOOST_TEST(m.isResponse());
  BOOST_TEST(m.statusCode() == 200);
  BOOST_TEST(m.reasonPhrase() == "OK");
  BOOST_TEST(m.method() == Method::Invite);
  const auto vias = m.headerValues(HeaderId::Via);
  BOOST_REQUIRE(vias.size() == 2U);
  BOOST_TEST(Via::parse(vias[0])->host == "192.0.2.198");
  BOOST_TEST(Via::parse(vias[1])->host == "255.255.255.255");
  BOOST_TEST(m.body().size() == 154U);
}

BOOST_AUTO_TEST_CASE(cparam02_parameter_inside_brackets_is_a_uri_parameter) {
  // §3.3.13: the opposite of cparam01; the binding keeps ;unknownparam.
  const auto m = parseValid("cparam02.sip");
  const auto c = NameAddr::parse(m.headerValue(HeaderId::Contact));
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->uri.user == "+19725552222");
  BOOST_TEST(c->uri.param("unknownparam").has_value());
  BOOST_TEST(!c->param("unknownparam").has_value());
  BOOST_TEST(c->params.empty());
}

BOOST_AUTO_TEST_CASE(regescrt_escaped_header_in_contact_uri) {
  // §3.3.14: inside <> the escaped Route header belongs to the binding.
  const auto m = parseValid("regescrt.sip");
  const auto c = NameAddr::parse(m.headerValue(HeaderId::Contact));
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->uri.user == "user");
  BOOST_TEST(c->uri.host == "example.com");
  BOOST_TEST(c->uri.headers == "Route=%3Csip:sip.example.com%3E");
  BOOST_TEST(m.from()->tag() == "8");
}

BOOST_AUTO_TEST_CASE(sdp01_accept_without_sdp) {
  // §3.3.15: the response may not carry SDP; 406 (or 400) is the answer.
  const auto m = parseValid("sdp01.sip");
  const auto accept = m.headerValues(HeaderId::Accept);
  BOOST_REQUIRE(accept.size() == 1U);
  BOOST_TEST(accept[0] == "text/nobodyKnowsThis");
  BOOST_TEST(m.headerValue(HeaderId::ContentType) == "application/sdp");
  BOOST_TEST(m.body().size() == 150U);
  BOOST_TEST(m.body().starts_with("v=0\r\n"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rfc4475_invalid)

BOOST_AUTO_TEST_CASE(trailing_whitespace_after_version) {
  BOOST_TEST(parseInvalid("trws.sip") == "Bad request line");
}
BOOST_AUTO_TEST_CASE(oversized_scalars_in_a_response) {
  // §3.1.2.4: CSeq 36893488147419103232 and other scalars beyond 2^32.
  BOOST_TEST(parseInvalid("scalarlg.sip") == "Bad CSeq");
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

BOOST_AUTO_TEST_CASE(baddn_unquoted_display_name_with_comma) {
  // §3.1.2.15: "Bell, Alexander" needs quotes; From is checked before To.
  BOOST_TEST(parseInvalid("baddn.sip") == "Bad From");
}
BOOST_AUTO_TEST_CASE(mismatch02_unknown_method_with_other_cseq_method) {
  // §3.1.2.18: 501 is preferred, 400 is acceptable; the split message still
  // shows both methods.
  const auto r = parseFixture("invalid/mismatch02.sip");
  BOOST_TEST(r.error == "CSeq method does not match");
  BOOST_TEST(r.status == 400);
  BOOST_REQUIRE(r.message.has_value());
  BOOST_TEST(r.message->method() == Method::Unknown);
  BOOST_TEST(r.message->methodName() == "NEWMETHOD");
  BOOST_TEST(r.message->cseq()->method == Method::Invite);
}
BOOST_AUTO_TEST_CASE(bigcode_status_code_over_699_is_dropped) {
  // §3.1.2.19: a response cannot be answered, so nothing is split out.
  const auto r = parseFixture("invalid/bigcode.sip");
  BOOST_TEST(r.error == "Bad status line");
  BOOST_TEST(!r.message.has_value());
}
BOOST_AUTO_TEST_CASE(mcl01_conflicting_content_lengths) {
  // §3.3.9: framing is unknowable, as with a bad Content-Length.
  const auto r = parseFixture("invalid/mcl01.sip");
  BOOST_TEST(r.error == "Conflicting Content-Length");
  BOOST_REQUIRE(r.message.has_value());
  BOOST_TEST(r.message->body().empty());
}

BOOST_AUTO_TEST_CASE(badinv01_empty_via_and_contact_parameters) {
  // §3.1.2.1: "192.0.2.15;;,;,," and ";;;;" are not parameters: 400.
  BOOST_TEST(parseInvalid("badinv01.sip") == "Bad Via");
}
BOOST_AUTO_TEST_CASE(escruri_headers_in_the_request_uri) {
  // §3.1.2.11: escaped headers in a SIP Request-URI make it malformed.
  BOOST_TEST(parseInvalid("escruri.sip") == "Bad Request-URI: headers are not allowed");
}

BOOST_AUTO_TEST_SUITE_END()
