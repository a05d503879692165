// Broken descriptions are rejected with a message naming the line.

#include <boost/test/unit_test.hpp>

#include "SdpTestUtil.h"

using namespace callgate::media::sdp;
using sdptest::crlf;
using sdptest::parseError;

namespace {

// A valid head (4 lines) followed by `media` lines; errors in them are on line 5+.
std::string withMedia(std::initializer_list<const char*> media) {
  std::string text = crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"});
  for (const char* line : media) {
    text += line;
    text += "\r\n";
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdp_parser_errors)

BOOST_AUTO_TEST_CASE(version_line) {
  BOOST_TEST(parseError("") == "empty SDP: v=0 missing");
  BOOST_TEST(parseError("\r\n\r\n") == "empty SDP: v=0 missing");
  BOOST_TEST(parseError(crlf({"o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"})) ==
             "line 1: SDP must start with v=0");
  BOOST_TEST(parseError(crlf({"v=1", "o=- 1 1 IN IP4 192.0.2.1"})) ==
             "line 1: unsupported SDP version");
  BOOST_TEST(parseError(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "v=0"})) ==
             "line 3: duplicate v= line");
  // From a fixture with its first line removed.
  const auto asterisk = sdptest::fixture("asterisk_offer.sdp");
  BOOST_TEST(parseError(asterisk.substr(asterisk.find('\n') + 1)) ==
             "line 1: SDP must start with v=0");
}

BOOST_AUTO_TEST_CASE(origin_line) {
  BOOST_TEST(parseError(crlf({"v=0", "s=-", "t=0 0", "m=audio 5000 RTP/AVP 0"})) ==
             "o= line missing");
  BOOST_TEST(parseError(crlf({"v=0", "o=- 1 1 IN IP4"})) == "line 2: o= line needs 6 fields");
  BOOST_TEST(parseError(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1 extra"})) ==
             "line 2: o= line needs 6 fields");
  BOOST_TEST(parseError(crlf({"v=0", "o=- 18446744073709551616 1 IN IP4 192.0.2.1"})) ==
             "line 2: bad session id in o= line");
  BOOST_TEST(parseError(crlf({"v=0", "o=- 1 -1 IN IP4 192.0.2.1"})) ==
             "line 2: bad session version in o= line");
  BOOST_TEST(parseError(crlf({"v=0", "o=- 1 1 ATM NSAP 47.0005"})) ==
             "line 2: o= network type must be IN");
  BOOST_TEST(parseError(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "o=- 1 1 IN IP4 192.0.2.1"})) ==
             "line 3: duplicate o= line");
}

BOOST_AUTO_TEST_CASE(line_syntax) {
  BOOST_TEST(parseError(withMedia({"garbage"})) == "line 5: expected <letter>=<value>");
  BOOST_TEST(parseError(withMedia({"A=1"})) == "line 5: expected <letter>=<value>");
  BOOST_TEST(parseError(withMedia({" a=x"})) == "line 5: expected <letter>=<value>");
  BOOST_TEST(parseError(withMedia({"a=", "x"})) == "line 5: attribute without a name");
  BOOST_TEST(parseError(withMedia({"a=:value"})) == "line 5: attribute without a name");
  BOOST_TEST(parseError(withMedia({"s=a\x01z"})) == "line 5: control character in line");
  using namespace std::string_literals;
  BOOST_TEST(parseError("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=a\0b\r\n"s) ==
             "line 3: control character in line");
  BOOST_TEST(parseError("v=0\ro=- 1 1 IN IP4 192.0.2.1\r\n") ==
             "line 1: control character in line");
}

BOOST_AUTO_TEST_CASE(media_line) {
  BOOST_TEST(parseError(withMedia({"m=audio"})) == "line 5: m= line needs a port");
  BOOST_TEST(parseError(withMedia({"m=audio 5000"})) == "line 5: m= line needs a protocol");
  BOOST_TEST(parseError(withMedia({"m=audio 70000 RTP/AVP 0"})) == "line 5: bad port in m= line");
  BOOST_TEST(parseError(withMedia({"m=audio -1 RTP/AVP 0"})) == "line 5: bad port in m= line");
  BOOST_TEST(parseError(withMedia({"m=audio x RTP/AVP 0"})) == "line 5: bad port in m= line");
  BOOST_TEST(parseError(withMedia({"m=audio 5000/ RTP/AVP 0"})) ==
             "line 5: bad port count in m= line");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 128"})) ==
             "line 5: bad payload type in m= line");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/SAVPF 0 opus"})) ==
             "line 5: bad payload type in m= line");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0 8 0"})) ==
             "line 5: duplicate payload type 0 in m= line");
  const auto sdes = sdptest::fixture("sdes_savp_offer.sdp");
  std::string badPt = sdes;
  badPt.replace(badPt.find("18 101"), 6, "18 999");
  BOOST_TEST(parseError(badPt) == "line 6: bad payload type in m= line");
}

BOOST_AUTO_TEST_CASE(connection_line) {
  BOOST_TEST(parseError(withMedia({"c=IN IP4"})) == "line 5: bad c= line");
  BOOST_TEST(parseError(withMedia({"c=ATM NSAP 47.0005"})) == "line 5: bad c= line");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0", "c=IN IP4 1.2.3.4 x"})) ==
             "line 6: bad c= line");
}

BOOST_AUTO_TEST_CASE(rtpmap) {
  const auto asterisk = sdptest::fixture("asterisk_offer.sdp");
  std::string dup = asterisk;
  dup.insert(dup.find("a=rtpmap:3 "), "a=rtpmap:8 PCMA/16000\r\n");
  BOOST_TEST(parseError(dup) == "line 9: duplicate rtpmap for payload type 8");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus"})) ==
             "line 6: bad rtpmap");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus/x"})) ==
             "line 6: bad rtpmap");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus/48000/"})) ==
             "line 6: bad rtpmap");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 96", "a=rtpmap:96 /8000"})) ==
             "line 6: bad rtpmap");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus/48000/2/1"})) ==
             "line 6: bad rtpmap");
}

BOOST_AUTO_TEST_CASE(candidates) {
  const auto chrome = sdptest::fixture("chrome_offer_bundle.sdp");
  std::string noTyp = chrome;
  noTyp.replace(noTyp.find("54400 typ srflx"), 15, "54400 srflx");
  BOOST_TEST(parseError(noTyp) == "line 12: bad candidate: missing typ");
  BOOST_TEST(parseError(withMedia(
                 {"m=audio 5000 RTP/AVP 0", "a=candidate:1 1 udp 1 192.0.2.1 99999 typ host"})) ==
             "line 6: bad candidate: bad port");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0", "a=candidate"})) ==
             "line 6: bad candidate: bad foundation");
}

BOOST_AUTO_TEST_CASE(security_and_stream_attributes) {
  BOOST_TEST(parseError(withMedia({"a=fingerprint:sha-256"})) ==
             "line 5: bad fingerprint attribute");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0", "a=fingerprint"})) ==
             "line 6: bad fingerprint attribute");
  BOOST_TEST(
      parseError(withMedia({"m=audio 5000 RTP/SAVP 0", "a=crypto:1 AES_CM_128_HMAC_SHA1_80"})) ==
      "line 6: bad crypto attribute");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/SAVP 0",
                                   "a=crypto:1234567890 AES_CM_128_HMAC_SHA1_80 inline:x"})) ==
             "line 6: bad crypto attribute");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0", "a=ssrc:4294967296 cname:x"})) ==
             "line 6: bad ssrc attribute");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0", "a=ssrc"})) ==
             "line 6: bad ssrc attribute");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0", "a=rtcp:65536"})) ==
             "line 6: bad rtcp attribute");
  BOOST_TEST(parseError(withMedia({"m=audio 5000 RTP/AVP 0", "a=rtcp:5001 IN IP4"})) ==
             "line 6: bad rtcp attribute");
}

BOOST_AUTO_TEST_CASE(size_limits) {
  std::string big = withMedia({"m=audio 5000 RTP/AVP 0"});
  big += "a=x-pad:" + std::string(kMaxSdpBytes - big.size(), 'x');
  BOOST_TEST(parseError(big) == "SDP larger than 65536 bytes");

  std::string longLine = withMedia({"m=audio 5000 RTP/AVP 0"});
  longLine += "a=x-long:" + std::string(kMaxLineBytes, 'x') + "\r\n";
  BOOST_TEST(parseError(longLine) == "line 6: line longer than 4096 bytes");
  // Exactly at the limit is fine.
  std::string atLimit = withMedia({"m=audio 5000 RTP/AVP 0"});
  atLimit += "a=x-long:" + std::string(kMaxLineBytes - 9, 'x') + "\r\n";
  BOOST_TEST(parseError(atLimit).empty());

  std::string media = withMedia({});
  for (size_t i = 0; i <= kMaxMediaSections; ++i) media += "m=audio 0 RTP/AVP 0\r\n";
  BOOST_TEST(parseError(media) == "line 69: more than 64 media sections");

  std::string formats = withMedia({});
  formats += "m=application 5000 TCP/MRCPv2";
  for (size_t i = 0; i <= kMaxFormatsPerMedia; ++i) formats += " f" + std::to_string(i);
  BOOST_TEST(parseError(formats) == "line 5: more than 256 formats in m= line");

  std::string attributes = withMedia({"m=audio 5000 RTP/AVP 0"});
  for (size_t i = 0; i < kMaxAttributes; ++i) attributes += "a=x-a\r\n";
  // The payload type took one unit of the budget: the 1024th a= line overflows.
  BOOST_TEST(parseError(attributes) == "line 1029: more than 1024 attributes");

  std::string bandwidth = withMedia({});
  for (size_t i = 0; i <= kMaxAttributes; ++i) bandwidth += "b=AS:64\r\n";
  BOOST_TEST(parseError(bandwidth) == "line 1029: more than 1024 attributes");
}

BOOST_AUTO_TEST_CASE(error_pointer_may_be_null) {
  BOOST_TEST(!parseSdp("v=1\r\n", nullptr).has_value());
  BOOST_TEST(parseSdp(crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1"}), nullptr).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
