// Parser rules beyond single fixtures: line ends, tolerance of sloppy peers,
// static payload types, attributes the model has no field for.

#include <boost/test/unit_test.hpp>

#include "SdpTestUtil.h"

using namespace callgate::media::sdp;
using sdptest::crlf;
using sdptest::mustParse;

BOOST_AUTO_TEST_SUITE(sdp_parser_rules)

BOOST_AUTO_TEST_CASE(rfc8866_section5_example) {
  // The example session description of RFC 8866 §5, with its informational
  // lines (i=, u=, e=, p=) that the model does not keep.
  const auto s = mustParse(
      crlf({"v=0", "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1", "s=Call to John Smith",
            "i=SDP Offer #1", "u=http://www.jdoe.example.com/home.html",
            "e=Jane Doe <jane@jdoe.example.com>", "p=+1 617 555-6011", "c=IN IP4 198.51.100.1",
            "t=0 0", "m=audio 49170 RTP/AVP 0", "m=audio 49180 RTP/AVP 0",
            "m=video 51372 RTP/AVP 99", "c=IN IP6 2001:db8::2", "a=rtpmap:99 h263-1998/90000"}));
  BOOST_TEST(s.origin.username == "jdoe");
  BOOST_TEST(s.origin.sessionId == 3724394400U);
  BOOST_TEST(s.origin.sessionVersion == 3724394405U);
  BOOST_TEST(s.sessionName == "Call to John Smith");
  BOOST_TEST(s.otherAttributes.empty());
  BOOST_REQUIRE(s.media.size() == 3U);
  BOOST_TEST(s.media[1].port == 49180);
  BOOST_TEST(s.media[0].formats[0].encoding == "PCMU");
  BOOST_TEST(effectiveConnection(s, s.media[0])->address == "198.51.100.1");
  BOOST_TEST(effectiveConnection(s, s.media[2])->address == "2001:db8::2");
  BOOST_TEST(effectiveConnection(s, s.media[2])->addressType == "IP6");
  BOOST_TEST(s.media[2].formats[0].encoding == "h263-1998");
  BOOST_TEST(s.media[2].formats[0].clockRate == 90000U);
}

BOOST_AUTO_TEST_CASE(lf_and_crlf_line_ends_read_the_same) {
  const auto withCrlf = sdptest::fixture("chrome_offer_bundle.sdp");
  std::string withLf;
  for (char c : withCrlf) {
    if (c != '\r') withLf += c;
  }
  BOOST_TEST(mustParse(withLf) == mustParse(withCrlf));
  // The last line may lack its line end.
  BOOST_TEST(mustParse(withLf.substr(0, withLf.size() - 1)) == mustParse(withCrlf));
}

BOOST_AUTO_TEST_CASE(missing_session_name_and_timing_take_defaults) {
  // Some phones omit s= and t=; blank lines and trailing blanks are tolerated.
  const auto s = mustParse(
      "v=0\r\no=root 1 1 IN IP4 192.0.2.60\r\nc=IN IP4 192.0.2.60 \r\n\r\n"
      "m=audio 4000 RTP/AVP 0 8 101   \r\na=rtpmap:101 telephone-event/8000\r\n");
  BOOST_TEST(s.sessionName == "-");
  BOOST_TEST(s.timing == "0 0");
  BOOST_TEST(s.connection->address == "192.0.2.60");
  BOOST_TEST(s.media[0].formatTokens.size() == 3U);
  BOOST_TEST(s.media[0].formats[2].encoding == "telephone-event");
  const auto empty = mustParse(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=", "t="}));
  BOOST_TEST(empty.sessionName == "-");
  BOOST_TEST(empty.timing == "0 0");
  BOOST_TEST(empty.media.empty());
}

BOOST_AUTO_TEST_CASE(static_payload_types_are_named_without_rtpmap) {
  const auto s =
      mustParse(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0",
                      "m=audio 5000 RTP/AVP 0 3 4 8 9 13 18 96 10", "m=video 5002 RTP/AVP 34 31"}));
  const auto& a = s.media[0].formats;
  BOOST_REQUIRE(a.size() == 9U);
  BOOST_TEST(a[0].encoding == "PCMU");
  BOOST_TEST(a[1].encoding == "GSM");
  BOOST_TEST(a[2].encoding == "G723");
  BOOST_TEST(a[3].encoding == "PCMA");
  BOOST_TEST(a[4].encoding == "G722");
  BOOST_TEST(a[4].clockRate == 8000U);  // RFC 3551 §4.5.2: 8000 despite 16 kHz sampling
  BOOST_TEST(a[5].encoding == "CN");
  BOOST_TEST(a[6].encoding == "G729");
  // A dynamic type without a=rtpmap stays unnamed.
  BOOST_TEST(int{a[7].payloadType} == 96);
  BOOST_TEST(a[7].encoding.empty());
  BOOST_TEST(a[7].clockRate == 0U);
  BOOST_TEST(a[8].encoding == "L16");
  BOOST_TEST(a[8].clockRate == 44100U);
  BOOST_TEST(a[8].channels == 2U);
  BOOST_TEST(s.media[1].formats[0].encoding == "H263");
  BOOST_TEST(s.media[1].formats[0].clockRate == 90000U);
  BOOST_TEST(s.media[1].formats[1].encoding == "H261");
  BOOST_TEST(!staticFormat(96).has_value());
  BOOST_TEST(!staticFormat(1).has_value());
}

BOOST_AUTO_TEST_CASE(rtpmap_overrides_static_default) {
  const auto s = mustParse(
      crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0", "m=audio 5000 RTP/AVP 096 8",
            "a=rtpmap:8 PCMA/16000", "a=rtpmap:96 opus/48000/2"}));
  const auto& m = s.media[0];
  BOOST_TEST(m.formatTokens[0] == "096");  // tokens stay as written
  BOOST_TEST(int{m.formats[0].payloadType} == 96);
  BOOST_TEST(m.formats[0].encoding == "opus");
  BOOST_TEST(m.formats[1].clockRate == 16000U);
}

BOOST_AUTO_TEST_CASE(attributes_for_unlisted_payload_types_are_kept) {
  const auto s = mustParse(
      crlf({"v=0", "o=- 7 7 IN IP4 192.0.2.70", "s=-", "t=0 0", "m=audio 5004 RTP/AVP 0 96",
            "a=rtpmap:97 opus/48000/2", "a=fmtp:97 useinbandfec=1", "a=rtcp-fb:* nack",
            "a=rtcp-fb:96 nack pli", "a=rtpmap:300 x/1"}));
  const auto& m = s.media[0];
  BOOST_REQUIRE(m.otherAttributes.size() == 4U);
  BOOST_TEST(m.otherAttributes[0].name == "rtpmap");
  BOOST_TEST(m.otherAttributes[0].value == "97 opus/48000/2");
  BOOST_TEST(m.otherAttributes[1].name == "fmtp");
  BOOST_TEST(m.otherAttributes[1].value == "97 useinbandfec=1");
  BOOST_TEST(m.otherAttributes[2].value == "* nack");
  BOOST_TEST(m.otherAttributes[3].value == "300 x/1");
  BOOST_TEST(m.formats[1].rtcpFeedback == std::vector<std::string>{"nack pli"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(non_rtp_sections_keep_rtp_attributes_verbatim) {
  const auto s =
      mustParse(crlf({"v=0", "o=- 8 9 IN IP4 192.0.2.90", "s=-", "t=0 0", "m=image 4002 udptl t38",
                      "a=T38FaxVersion:0", "a=rtpmap:96 foo/8000"}));
  const auto& m = s.media[0];
  BOOST_TEST(m.formatTokens == std::vector<std::string>{"t38"}, boost::test_tools::per_element());
  BOOST_TEST(m.formats.empty());
  BOOST_REQUIRE(m.otherAttributes.size() == 2U);
  BOOST_TEST(m.otherAttributes[0].name == "T38FaxVersion");  // names keep their case
  BOOST_TEST(m.otherAttributes[1].name == "rtpmap");
}

BOOST_AUTO_TEST_CASE(first_single_valued_attribute_wins_rest_kept) {
  const auto s = mustParse(crlf(
      {"v=0", "o=- 7 7 IN IP4 192.0.2.70", "s=-", "t=0 0", "m=audio 5004 RTP/AVP 96", "a=mid:a",
       "a=mid:b", "a=setup:bogus", "a=setup:PASSIVE", "a=setup:active", "a=sendonly", "a=recvonly",
       "a=ptime:twenty", "a=ptime:30", "a=rtcp-mux:yes", "a=fmtp:96 a=1", "a=fmtp:96 b=2"}));
  const auto& m = s.media[0];
  BOOST_TEST(m.mid == "a");
  BOOST_TEST(m.setup == Setup::Passive);  // setup values compare case-insensitively
  BOOST_TEST(*m.direction == Direction::SendOnly);
  BOOST_TEST(m.ptime.value() == 30U);
  BOOST_TEST(!m.rtcpMux);
  BOOST_TEST(m.formats[0].fmtp == "a=1");
  std::vector<std::string> kept;
  for (const auto& a : m.otherAttributes) {
    kept.push_back(a.name + (a.hasValue ? ":" + a.value : ""));
  }
  BOOST_TEST(kept == (std::vector<std::string>{"mid:b", "setup:bogus", "setup:active", "recvonly",
                                               "ptime:twenty", "rtcp-mux:yes", "fmtp:96 b=2"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(attribute_names_are_case_sensitive) {
  const auto s = mustParse(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0",
                                 "m=audio 5000 RTP/AVP 0", "a=SendOnly", "a=RTCP-MUX"}));
  const auto& m = s.media[0];
  BOOST_TEST(!m.direction.has_value());
  BOOST_TEST(!m.rtcpMux);
  BOOST_TEST(m.otherAttributes.size() == 2U);
}

BOOST_AUTO_TEST_CASE(session_level_attributes) {
  const auto s = mustParse(crlf(
      {"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "b=CT:1000", "t=0 0", "a=ice-lite",
       "a=ice-ufrag:sessU", "a=ice-pwd:sessPasswordsessPassword", "a=ice-options:trickle ice2",
       "a=fingerprint:SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB",
       "a=setup:passive", "a=inactive", "a=tool:callgate", "a=group:LS 1 2",
       "m=audio 5000 RTP/AVP 0", "a=ice-ufrag:mediaU", "m=audio 5002 RTP/AVP 0", "a=sendrecv"}));
  BOOST_TEST(s.iceLite);
  BOOST_TEST(s.bandwidth == std::vector<std::string>{"CT:1000"}, boost::test_tools::per_element());
  BOOST_TEST(s.iceOptions == (std::vector<std::string>{"trickle", "ice2"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(s.fingerprints.size() == 1U);
  BOOST_TEST(s.fingerprints[0].algorithm == "sha-1");  // lower-cased
  BOOST_TEST(s.fingerprints[0].value.substr(0, 5) == "4A:AD");
  BOOST_TEST(s.setup == Setup::Passive);
  BOOST_TEST(*s.direction == Direction::Inactive);
  BOOST_REQUIRE(s.otherAttributes.size() == 1U);
  BOOST_TEST(s.otherAttributes[0].value == "callgate");
  BOOST_TEST(findGroup(s, "LS")->ids.size() == 2U);
  BOOST_TEST(findGroup(s, "BUNDLE") == nullptr);
  // Per field: ufrag from the media section, pwd from the session.
  const auto [ufrag, pwd] = effectiveIceCredentials(s, s.media[0]);
  BOOST_TEST(ufrag == "mediaU");
  BOOST_TEST(pwd == "sessPasswordsessPassword");
  BOOST_TEST(effectiveDirection(s, s.media[0]) == Direction::Inactive);
  BOOST_TEST(effectiveDirection(s, s.media[1]) == Direction::SendRecv);
  BOOST_TEST(effectiveSetup(s, s.media[1]) == Setup::Passive);
}

BOOST_AUTO_TEST_CASE(multicast_and_port_counts) {
  const auto s =
      mustParse(crlf({"v=0", "o=- 2890844526 2890842807 IN IP4 192.0.2.80", "s=Multicast",
                      "c=IN IP4 233.252.0.1/127/2", "t=2873397496 2873404696", "r=7d 1h 0 25h",
                      "m=video 51372/2 RTP/AVP 99", "a=rtpmap:99 h263-1998/90000"}));
  BOOST_TEST(s.connection->address == "233.252.0.1/127/2");
  BOOST_TEST(s.timing == "2873397496 2873404696");
  BOOST_TEST(s.media[0].port == 51372);
  BOOST_TEST(s.media[0].portCount == 2);
}

BOOST_AUTO_TEST_CASE(ssrc_attribute_forms) {
  const auto s =
      mustParse(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0", "m=audio 5000 RTP/AVP 0",
                      "a=ssrc:1 cname:x:y", "a=ssrc:4294967295 label", "a=ssrc:2",
                      "a=ssrc-group:SIM 1 2 3", "a=ssrc-group:"}));
  const auto& m = s.media[0];
  BOOST_REQUIRE(m.ssrcs.size() == 3U);
  BOOST_TEST(m.ssrcs[0].attribute == "cname");
  BOOST_TEST(m.ssrcs[0].value == "x:y");
  BOOST_TEST(m.ssrcs[1].ssrc == 4294967295U);
  BOOST_TEST(m.ssrcs[1].attribute == "label");
  BOOST_TEST(m.ssrcs[1].value.empty());
  BOOST_TEST(m.ssrcs[2].attribute.empty());
  BOOST_REQUIRE(m.ssrcGroups.size() == 1U);
  BOOST_TEST(m.ssrcGroups[0].ids.size() == 3U);
  // An empty ssrc-group has nothing to hold; it is kept verbatim.
  BOOST_TEST(m.otherAttributes.size() == 1U);
}

BOOST_AUTO_TEST_CASE(numbers_at_their_limits) {
  const auto s = mustParse(crlf({"v=0", "o=- 18446744073709551615 0 IN IP4 192.0.2.1", "s=-",
                                 "t=0 0", "m=audio 65535/65535 RTP/AVP 127 0",
                                 "a=rtpmap:127 x/4294967295/4294967295", "a=rtcp:65535"}));
  BOOST_TEST(s.origin.sessionId == 18446744073709551615ULL);
  BOOST_TEST(s.media[0].port == 65535);
  BOOST_TEST(s.media[0].portCount == 65535);
  BOOST_TEST(s.media[0].formats[0].clockRate == 4294967295U);
  BOOST_TEST(s.media[0].formats[0].channels == 4294967295U);
  BOOST_TEST(*s.media[0].rtcpPort == 65535);
}

BOOST_AUTO_TEST_CASE(limits_are_inclusive) {
  std::string text = crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"});
  for (size_t i = 0; i < kMaxMediaSections; ++i) text += "m=audio 0 RTP/AVP 0\r\n";
  BOOST_TEST(mustParse(text).media.size() == kMaxMediaSections);

  // 64 payload types plus 960 other attributes fill the budget exactly.
  std::string budget = crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"});
  budget += "m=audio 5000 RTP/AVP";
  for (int pt = 0; pt < 64; ++pt) budget += " " + std::to_string(pt);
  budget += "\r\n";
  for (int pt = 0; pt < 64; ++pt) budget += "a=rtpmap:" + std::to_string(pt) + " x/8000\r\n";
  for (size_t i = 0; i < kMaxAttributes - 64; ++i) budget += "a=x-a\r\n";
  const auto s = mustParse(budget);
  BOOST_TEST(s.media[0].formats.size() == 64U);
  BOOST_TEST(s.media[0].otherAttributes.size() == kMaxAttributes - 64);

  std::string formats = crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"});
  formats += "m=application 5000 TCP/MRCPv2";
  for (size_t i = 0; i < kMaxFormatsPerMedia; ++i) formats += " f" + std::to_string(i);
  formats += "\r\n";
  BOOST_TEST(mustParse(formats).media[0].formatTokens.size() == kMaxFormatsPerMedia);
}

BOOST_AUTO_TEST_SUITE_END()
