// Names, static payload types and the session-to-media inheritance helpers.

#include <boost/test/unit_test.hpp>

#include "SdpTestUtil.h"

using namespace callgate::media::sdp;

BOOST_AUTO_TEST_SUITE(sdp_helpers)

BOOST_AUTO_TEST_CASE(direction_names) {
  for (auto d :
       {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
    BOOST_TEST(parseDirection(directionName(d)).value() == d);
  }
  BOOST_TEST(directionName(Direction::RecvOnly) == "recvonly");
  BOOST_TEST(!parseDirection("SENDRECV").has_value());  // attribute names are case-sensitive
  BOOST_TEST(!parseDirection("").has_value());
}

BOOST_AUTO_TEST_CASE(setup_names) {
  BOOST_TEST(setupName(Setup::ActPass) == "actpass");
  BOOST_TEST(setupName(Setup::HoldConn) == "holdconn");
  BOOST_TEST(setupName(Setup::None).empty());
  BOOST_TEST(parseSetup("Active").value() == Setup::Active);
  BOOST_TEST(parseSetup("passive").value() == Setup::Passive);
  BOOST_TEST(!parseSetup("").has_value());
  BOOST_TEST(!parseSetup("none").has_value());
}

BOOST_AUTO_TEST_CASE(static_formats) {
  const auto pcma = staticFormat(8).value();
  BOOST_TEST(int{pcma.payloadType} == 8);
  BOOST_TEST(pcma.encoding == "PCMA");
  BOOST_TEST(pcma.clockRate == 8000U);
  BOOST_TEST(pcma.channels == 1U);
  BOOST_TEST(staticFormat(13)->encoding == "CN");
  BOOST_TEST(staticFormat(6)->clockRate == 16000U);
  for (int pt : {1, 2, 19, 24, 27, 35, 95, 96, 127}) {
    BOOST_TEST_INFO("pt " << pt);
    BOOST_TEST(!staticFormat(static_cast<uint8_t>(pt)).has_value());
  }
}

BOOST_AUTO_TEST_CASE(rtp_protocols) {
  BOOST_TEST(isRtpProtocol("RTP/AVP"));
  BOOST_TEST(isRtpProtocol("RTP/SAVPF"));
  BOOST_TEST(isRtpProtocol("UDP/TLS/RTP/SAVPF"));
  BOOST_TEST(!isRtpProtocol("UDP/DTLS/SCTP"));
  BOOST_TEST(!isRtpProtocol("udptl"));
  BOOST_TEST(!isRtpProtocol("TCP/MRCPv2"));
}

BOOST_AUTO_TEST_CASE(find_format_is_mutable) {
  auto s = sdptest::mustParse(sdptest::fixture("baresip_offer.sdp"));
  auto& m = s.media[0];
  Format* opus = m.findFormat(96);
  BOOST_REQUIRE(opus != nullptr);
  opus->fmtp = "useinbandfec=1";
  BOOST_TEST(std::as_const(m).findFormat(96)->fmtp == "useinbandfec=1");
}

BOOST_AUTO_TEST_CASE(inheritance_defaults) {
  SessionDescription s;
  MediaDescription m;
  BOOST_TEST(effectiveDirection(s, m) == Direction::SendRecv);
  BOOST_TEST(effectiveSetup(s, m) == Setup::None);
  BOOST_TEST(effectiveFingerprints(s, m).empty());
  BOOST_TEST(!effectiveConnection(s, m).has_value());
  BOOST_TEST(effectiveIceCredentials(s, m).first.empty());

  s.direction = Direction::Inactive;
  s.setup = Setup::ActPass;
  s.fingerprints.push_back(Fingerprint{"sha-256", "AA"});
  s.connection = Connection{"IP4", "192.0.2.1"};
  s.iceUfrag = "u";
  s.icePwd = "p";
  BOOST_TEST(effectiveDirection(s, m) == Direction::Inactive);
  BOOST_TEST(effectiveSetup(s, m) == Setup::ActPass);
  BOOST_TEST(&effectiveFingerprints(s, m) == &s.fingerprints);
  BOOST_TEST(effectiveConnection(s, m)->address == "192.0.2.1");
  BOOST_TEST(effectiveIceCredentials(s, m).second == "p");

  // The media section's own values win.
  m.direction = Direction::SendOnly;
  m.setup = Setup::Active;
  m.fingerprints.push_back(Fingerprint{"sha-256", "BB"});
  m.connection = Connection{"IP6", "2001:db8::1"};
  m.icePwd = "mp";
  BOOST_TEST(effectiveDirection(s, m) == Direction::SendOnly);
  BOOST_TEST(effectiveSetup(s, m) == Setup::Active);
  BOOST_TEST(effectiveFingerprints(s, m)[0].value == "BB");
  BOOST_TEST(effectiveConnection(s, m)->addressType == "IP6");
  BOOST_TEST(effectiveIceCredentials(s, m).first == "u");
  BOOST_TEST(effectiveIceCredentials(s, m).second == "mp");
}

BOOST_AUTO_TEST_SUITE_END()
