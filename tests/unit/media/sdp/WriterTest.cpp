// The canonical form writeSdp produces, and the round-trip property
// parseSdp(writeSdp(parseSdp(X))) == parseSdp(X) over fixtures and corpus.

#include <boost/test/unit_test.hpp>

#include "SdpTestUtil.h"

using namespace callgate::media::sdp;
using sdptest::crlf;
using sdptest::mustParse;

namespace {

SessionDescription builtAnswer() {
  SessionDescription s;
  s.origin.sessionId = 42;
  s.origin.sessionVersion = 1;
  s.origin.address = "192.0.2.1";
  s.groups.push_back(Group{"BUNDLE", {"0"}});
  s.msidSemantic = "WMS *";
  s.iceLite = true;
  s.iceUfrag = "su";
  s.icePwd = "sp";
  s.iceOptions = {"trickle"};
  s.fingerprints.push_back(Fingerprint{"sha-256", "AA:BB"});
  s.setup = Setup::Passive;
  s.direction = Direction::SendRecv;
  s.otherAttributes.push_back(Attribute{"tool", "x", true});

  MediaDescription m;
  m.type = "audio";
  m.port = 9;
  m.protocol = "UDP/TLS/RTP/SAVPF";
  Format opus;
  opus.payloadType = 111;
  opus.encoding = "opus";
  opus.clockRate = 48000;
  opus.channels = 2;
  opus.fmtp = "useinbandfec=1";
  opus.rtcpFeedback = {"transport-cc"};
  m.formats.push_back(opus);
  m.formats.push_back(staticFormat(0).value());
  m.connection = Connection{"IP4", "192.0.2.1"};
  m.bandwidth = {"AS:64"};
  m.direction = Direction::SendOnly;
  m.mid = "0";
  m.iceUfrag = "u";
  m.icePwd = "p";
  m.iceOptions = {"trickle"};
  Candidate c;
  c.foundation = "1";
  c.transport = "udp";
  c.priority = 2130706431;
  c.address = "192.0.2.1";
  c.port = 9;
  c.type = "host";
  m.candidates.push_back(c);
  m.endOfCandidates = true;
  m.fingerprints.push_back(Fingerprint{"sha-256", "CC"});
  m.setup = Setup::Active;
  m.rtcpMux = true;
  m.rtcpRsize = true;
  m.rtcpPort = 9;
  m.rtcpConnection = Connection{"IP4", "0.0.0.0"};
  m.ssrcs.push_back(SsrcAttribute{5, "cname", "c"});
  m.ssrcGroups.push_back(Group{"FID", {"5", "6"}});
  m.msid = "s t";
  m.crypto.push_back(Crypto{1, "AES_CM_128_HMAC_SHA1_80", "inline:abc", ""});
  m.ptime = 20;
  m.maxptime = 40;
  m.extmaps.push_back(Attribute{"extmap", "1 urn:x", true});
  m.otherAttributes.push_back(Attribute{"label", "1", true});
  m.otherAttributes.push_back(Attribute{"x-flag", "", false});
  s.media.push_back(m);
  return s;
}

void checkRoundTrip(const std::string& name, const std::string& text) {
  BOOST_TEST_CONTEXT(name) {
    std::string error;
    const auto first = parseSdp(text, &error);
    if (!first) {
      BOOST_TEST(!error.empty());  // rejected inputs always say why
      return;
    }
    const auto written = writeSdp(*first);
    const auto second = mustParse(written);
    BOOST_TEST(second == *first);
    BOOST_TEST(writeSdp(second) == written);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdp_writer)

BOOST_AUTO_TEST_CASE(canonical_order_of_every_field) {
  const auto s = builtAnswer();
  const std::string expected = crlf({"v=0",
                                     "o=- 42 1 IN IP4 192.0.2.1",
                                     "s=-",
                                     "t=0 0",
                                     "a=group:BUNDLE 0",
                                     "a=msid-semantic:WMS *",
                                     "a=ice-lite",
                                     "a=ice-ufrag:su",
                                     "a=ice-pwd:sp",
                                     "a=ice-options:trickle",
                                     "a=fingerprint:sha-256 AA:BB",
                                     "a=setup:passive",
                                     "a=sendrecv",
                                     "a=tool:x",
                                     "m=audio 9 UDP/TLS/RTP/SAVPF 111 0",
                                     "c=IN IP4 192.0.2.1",
                                     "b=AS:64",
                                     "a=rtcp:9 IN IP4 0.0.0.0",
                                     "a=ice-ufrag:u",
                                     "a=ice-pwd:p",
                                     "a=ice-options:trickle",
                                     "a=fingerprint:sha-256 CC",
                                     "a=setup:active",
                                     "a=mid:0",
                                     "a=extmap:1 urn:x",
                                     "a=sendonly",
                                     "a=rtcp-mux",
                                     "a=rtcp-rsize",
                                     "a=rtpmap:111 opus/48000/2",
                                     "a=fmtp:111 useinbandfec=1",
                                     "a=rtcp-fb:111 transport-cc",
                                     "a=rtpmap:0 PCMU/8000",
                                     "a=ptime:20",
                                     "a=maxptime:40",
                                     "a=ssrc-group:FID 5 6",
                                     "a=ssrc:5 cname:c",
                                     "a=msid:s t",
                                     "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc",
                                     "a=candidate:1 1 udp 2130706431 192.0.2.1 9 typ host",
                                     "a=end-of-candidates",
                                     "a=label:1",
                                     "a=x-flag"});
  BOOST_TEST(writeSdp(s) == expected);

  // Read back, it is the same description with the m= tokens filled in.
  auto withTokens = s;
  withTokens.media[0].formatTokens = {"111", "0"};
  BOOST_TEST(mustParse(expected) == withTokens);
}

BOOST_AUTO_TEST_CASE(asterisk_offer_in_canonical_form) {
  const auto s = mustParse(sdptest::fixture("asterisk_offer.sdp"));
  BOOST_TEST(
      writeSdp(s) ==
      crlf({"v=0", "o=- 1402577094 1402577094 IN IP4 198.51.100.5", "s=Asterisk",
            "c=IN IP4 198.51.100.5", "t=0 0", "m=audio 17402 RTP/AVP 0 8 3 9 101", "a=sendrecv",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:3 GSM/8000",
            "a=rtpmap:9 G722/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16",
            "a=ptime:20", "a=maxptime:150"}));
}

BOOST_AUTO_TEST_CASE(static_payload_types_get_an_rtpmap) {
  const auto s = mustParse(sdptest::fixture("hold_rfc2543.sdp"));
  BOOST_TEST(writeSdp(s) ==
             crlf({"v=0", "o=CiscoSystemsSIP-GW-UserAgent 4411 6672 IN IP4 192.0.2.50",
                   "s=SIP Call", "c=IN IP4 0.0.0.0", "t=0 0", "m=audio 18062 RTP/AVP 18 101",
                   "c=IN IP4 0.0.0.0", "a=rtpmap:18 G729/8000", "a=fmtp:18 annexb=no",
                   "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16"}));
}

BOOST_AUTO_TEST_CASE(sloppy_input_is_normalised) {
  const auto s = mustParse(
      "v=0\no=root\t1 01 IN IP4 192.0.2.60\nc=IN IP4 192.0.2.60 \n\n"
      "m=audio 04000/0 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000/1\na=mid:\n"
      "a=ssrc:7 cname:\na=ice-options:a  b\na=ice-options:c\n");
  BOOST_TEST(writeSdp(s) ==
             crlf({"v=0", "o=root 1 1 IN IP4 192.0.2.60", "s=-", "c=IN IP4 192.0.2.60", "t=0 0",
                   "m=audio 4000 RTP/AVP 0 101", "a=ice-options:a b c", "a=rtpmap:0 PCMU/8000",
                   "a=rtpmap:101 telephone-event/8000", "a=ssrc:7 cname"}));
}

BOOST_AUTO_TEST_CASE(long_ice_option_lists_stay_within_the_line_limit) {
  SessionDescription s;
  for (int i = 0; i < 2000; ++i) s.iceOptions.push_back("option" + std::to_string(i));
  const auto written = writeSdp(s);
  size_t start = 0;
  size_t lines = 0;
  while (start < written.size()) {
    const auto end = written.find("\r\n", start);
    BOOST_REQUIRE(end != std::string::npos);
    BOOST_TEST(end - start <= kMaxLineBytes);
    start = end + 2;
    ++lines;
  }
  BOOST_TEST(lines > 5U);  // v o s t and several ice-options lines
  BOOST_TEST(mustParse(written).iceOptions == s.iceOptions);
}

BOOST_AUTO_TEST_CASE(round_trip_over_fixtures) {
  for (const auto& path : sdptest::filesIn(sdptest::fixtureDir())) {
    const auto text = sdptest::readFile(path);
    BOOST_TEST_CONTEXT(path.filename().string()) {
      BOOST_TEST(parseSdp(text, nullptr).has_value());  // every fixture is valid
    }
    checkRoundTrip(path.filename().string(), text);
  }
}

BOOST_AUTO_TEST_CASE(round_trip_over_fuzz_corpus) {
  size_t files = 0;
  for (const auto& path : sdptest::filesIn(sdptest::corpusDir())) {
    checkRoundTrip(path.filename().string(), sdptest::readFile(path));
    ++files;
  }
  BOOST_TEST(files >= 12U);
}

BOOST_AUTO_TEST_SUITE_END()
