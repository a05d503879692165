// Real-world offers and answers (tests/fixtures/sdp) parsed into the model.

#include <boost/test/unit_test.hpp>

#include "SdpTestUtil.h"

using namespace callgate::media::sdp;
using sdptest::fixture;
using sdptest::mustParse;

namespace {

void checkFormat(const Format& f, uint8_t pt, std::string_view encoding, uint32_t clockRate,
                 uint32_t channels, std::string_view fmtp) {
  BOOST_TEST_INFO("payload type " << int{pt});
  BOOST_TEST(int{f.payloadType} == int{pt});
  BOOST_TEST(f.encoding == encoding);
  BOOST_TEST(f.clockRate == clockRate);
  BOOST_TEST(f.channels == channels);
  BOOST_TEST(f.fmtp == fmtp);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdp_fixtures)

BOOST_AUTO_TEST_CASE(chrome_offer_with_bundle) {
  const auto s = mustParse(fixture("chrome_offer_bundle.sdp"));
  BOOST_TEST(s.origin.username == "-");
  BOOST_TEST(s.origin.sessionId == 4611731400430051336ULL);
  BOOST_TEST(s.origin.sessionVersion == 2U);
  BOOST_TEST(s.origin.address == "127.0.0.1");
  BOOST_TEST(s.sessionName == "-");
  BOOST_TEST(s.timing == "0 0");
  BOOST_TEST(s.msidSemantic == "WMS 3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
  BOOST_REQUIRE(s.otherAttributes.size() == 1U);
  BOOST_TEST(s.otherAttributes[0].name == "extmap-allow-mixed");
  BOOST_TEST(!s.otherAttributes[0].hasValue);

  const Group* bundle = findGroup(s, "BUNDLE");
  BOOST_REQUIRE(bundle != nullptr);
  BOOST_TEST(bundle->ids == (std::vector<std::string>{"0", "1"}), boost::test_tools::per_element());
  BOOST_REQUIRE(s.media.size() == 2U);

  const auto& audio = s.media[0];
  BOOST_TEST(audio.type == "audio");
  BOOST_TEST(audio.port == 54400);
  BOOST_TEST(audio.portCount == 0);
  BOOST_TEST(audio.protocol == "UDP/TLS/RTP/SAVPF");
  BOOST_TEST(audio.isRtp());
  BOOST_TEST(audio.formatTokens ==
                 (std::vector<std::string>{"111", "63", "9", "0", "8", "13", "110", "126"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(audio.formats.size() == 8U);
  checkFormat(audio.formats[0], 111, "opus", 48000, 2, "minptime=10;useinbandfec=1");
  BOOST_TEST(audio.formats[0].rtcpFeedback == std::vector<std::string>{"transport-cc"},
             boost::test_tools::per_element());
  checkFormat(audio.formats[1], 63, "red", 48000, 2, "111/111");
  checkFormat(audio.formats[2], 9, "G722", 8000, 1, "");
  checkFormat(audio.formats[3], 0, "PCMU", 8000, 1, "");
  checkFormat(audio.formats[4], 8, "PCMA", 8000, 1, "");
  checkFormat(audio.formats[5], 13, "CN", 8000, 1, "");
  checkFormat(audio.formats[6], 110, "telephone-event", 48000, 1, "");
  checkFormat(audio.formats[7], 126, "telephone-event", 8000, 1, "");
  BOOST_TEST(audio.findFormat(126) == &audio.formats[7]);
  BOOST_TEST(audio.findFormat(96) == nullptr);

  BOOST_REQUIRE(audio.connection.has_value());
  BOOST_TEST(audio.connection->addressType == "IP4");
  BOOST_TEST(audio.connection->address == "192.0.2.10");
  BOOST_REQUIRE(audio.rtcpPort.has_value());
  BOOST_TEST(*audio.rtcpPort == 9);
  BOOST_REQUIRE(audio.rtcpConnection.has_value());
  BOOST_TEST(audio.rtcpConnection->address == "0.0.0.0");

  BOOST_REQUIRE(audio.candidates.size() == 3U);
  const auto& host = audio.candidates[0];
  BOOST_TEST(host.foundation == "1467250027");
  BOOST_TEST(host.component == 1U);
  BOOST_TEST(host.transport == "udp");
  BOOST_TEST(host.priority == 2122260223U);
  BOOST_TEST(host.address == "192.0.2.10");
  BOOST_TEST(host.port == 54400);
  BOOST_TEST(host.type == "host");
  BOOST_TEST(host.relatedAddress.empty());
  BOOST_REQUIRE(host.extensions.size() == 3U);
  BOOST_TEST(host.extensions[0].first == "generation");
  BOOST_TEST(host.extensions[0].second == "0");
  BOOST_TEST(host.extension("network-cost").value() == "10");
  const auto& srflx = audio.candidates[1];
  BOOST_TEST(srflx.type == "srflx");
  BOOST_TEST(srflx.address == "198.51.100.7");
  BOOST_TEST(srflx.relatedAddress == "192.0.2.10");
  BOOST_TEST(srflx.relatedPort == 54400);
  const auto& tcp = audio.candidates[2];
  BOOST_TEST(tcp.transport == "tcp");
  BOOST_TEST(tcp.port == 9);
  BOOST_TEST(tcp.extension("tcptype").value() == "active");
  BOOST_TEST(!audio.endOfCandidates);

  BOOST_TEST(audio.iceUfrag == "EsAw");
  BOOST_TEST(audio.icePwd == "P2uYro0UCOQ4zxjKXaWCBui1");
  BOOST_TEST(audio.iceOptions == std::vector<std::string>{"trickle"},
             boost::test_tools::per_element());
  BOOST_REQUIRE(audio.fingerprints.size() == 1U);
  BOOST_TEST(audio.fingerprints[0].algorithm == "sha-256");
  BOOST_TEST(audio.fingerprints[0].value ==
             "D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:"
             "52:CE:E6:0F");
  BOOST_TEST(audio.setup == Setup::ActPass);
  BOOST_TEST(audio.mid == "0");
  BOOST_REQUIRE(audio.extmaps.size() == 4U);
  BOOST_TEST(audio.extmaps[0].name == "extmap");
  BOOST_TEST(audio.extmaps[0].value == "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
  BOOST_REQUIRE(audio.direction.has_value());
  BOOST_TEST(*audio.direction == Direction::SendRecv);
  BOOST_TEST(audio.msid ==
             "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d 7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d");
  BOOST_TEST(audio.rtcpMux);
  BOOST_TEST(!audio.rtcpRsize);
  BOOST_REQUIRE(audio.ssrcs.size() == 2U);
  BOOST_TEST(audio.ssrcs[0].ssrc == 1001U);
  BOOST_TEST(audio.ssrcs[0].attribute == "cname");
  BOOST_TEST(audio.ssrcs[0].value == "4TOk42mSjXCkVIa6");
  BOOST_TEST(audio.ssrcs[1].attribute == "msid");
  BOOST_TEST(audio.ssrcs[1].value ==
             "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d 7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d");
  BOOST_TEST(audio.otherAttributes.empty());
  BOOST_TEST(!audio.ptime.has_value());

  const auto& video = s.media[1];
  BOOST_TEST(video.type == "video");
  BOOST_TEST(video.mid == "1");
  BOOST_REQUIRE(video.formats.size() == 5U);
  checkFormat(video.formats[0], 96, "VP8", 90000, 1, "");
  BOOST_TEST(
      video.formats[0].rtcpFeedback ==
          (std::vector<std::string>{"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}),
      boost::test_tools::per_element());
  checkFormat(video.formats[1], 97, "rtx", 90000, 1, "apt=96");
  checkFormat(video.formats[2], 102, "H264", 90000, 1,
              "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
  checkFormat(video.formats[4], 45, "AV1", 90000, 1, "level-idx=5;profile=0;tier=0");
  BOOST_TEST(video.rtcpRsize);
  BOOST_REQUIRE(video.ssrcGroups.size() == 1U);
  BOOST_TEST(video.ssrcGroups[0].semantics == "FID");
  BOOST_TEST(video.ssrcGroups[0].ids == (std::vector<std::string>{"2001", "2002"}),
             boost::test_tools::per_element());
  BOOST_TEST(video.ssrcs.size() == 4U);
  BOOST_TEST(video.extmaps.size() == 5U);
}

BOOST_AUTO_TEST_CASE(firefox_offer_with_session_fingerprint) {
  const auto s = mustParse(fixture("firefox_offer.sdp"));
  BOOST_TEST(s.origin.username == "mozilla...THIS_IS_SDPARTA-115.6.0");
  BOOST_TEST(s.origin.sessionId == 5092125394565012349ULL);
  BOOST_TEST(s.origin.sessionVersion == 0U);
  BOOST_TEST(s.origin.address == "0.0.0.0");
  BOOST_TEST(s.msidSemantic == "WMS *");
  BOOST_TEST(s.iceOptions == std::vector<std::string>{"trickle"}, boost::test_tools::per_element());
  BOOST_REQUIRE(s.fingerprints.size() == 1U);
  BOOST_TEST(s.fingerprints[0].algorithm == "sha-256");
  BOOST_TEST(s.fingerprints[0].value.substr(0, 8) == "8F:2E:5B");
  BOOST_REQUIRE(s.media.size() == 2U);

  const auto& audio = s.media[0];
  BOOST_TEST(audio.fingerprints.empty());
  // Firefox leaves the fingerprint at session level: each section inherits it.
  for (const auto& m : s.media) {
    const auto& fps = effectiveFingerprints(s, m);
    BOOST_REQUIRE(fps.size() == 1U);
    BOOST_TEST(fps[0].value == s.fingerprints[0].value);
    BOOST_TEST(effectiveSetup(s, m) == Setup::ActPass);
  }
  // a=fmtp before a=rtpmap still lands on its format.
  BOOST_REQUIRE(audio.formats.size() == 5U);
  checkFormat(audio.formats[0], 109, "opus", 48000, 2,
              "maxplaybackrate=48000;stereo=1;useinbandfec=1");
  checkFormat(audio.formats[1], 9, "G722", 8000, 1, "");
  checkFormat(audio.formats[4], 101, "telephone-event", 8000, 1, "0-15");

  BOOST_REQUIRE(audio.candidates.size() == 2U);
  BOOST_TEST(audio.candidates[0].foundation == "0");
  BOOST_TEST(audio.candidates[0].transport == "UDP");
  BOOST_TEST(audio.candidates[0].priority == 2122252543U);
  BOOST_TEST(audio.candidates[0].address == "6b1d3f2a-9c4e-4d8b-a7f1-2e3c4d5b6a7f.local");
  BOOST_TEST(audio.candidates[0].port == 50123);
  BOOST_TEST(audio.candidates[0].extensions.empty());
  BOOST_TEST(audio.candidates[1].transport == "TCP");
  BOOST_TEST(audio.candidates[1].extension("tcptype").value() == "active");
  BOOST_TEST(audio.endOfCandidates);
  BOOST_REQUIRE(audio.extmaps.size() == 3U);
  BOOST_TEST(audio.extmaps[1].value == "2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level");
  BOOST_TEST(audio.mid == "0");
  const auto [ufrag, pwd] = effectiveIceCredentials(s, audio);
  BOOST_TEST(ufrag == "9b1f4e2a");
  BOOST_TEST(pwd == "3ea3c1fe8a1b6e7e0d2c29eb8a2c9a39");
  BOOST_REQUIRE(audio.ssrcs.size() == 1U);
  BOOST_TEST(audio.ssrcs[0].ssrc == 3366780123U);
  BOOST_TEST(audio.ssrcs[0].value == "{e8a4b2c1-7d6e-4f5a-9b8c-3d2e1f0a9b8c}");

  const auto& video = s.media[1];
  BOOST_REQUIRE(video.formats.size() == 4U);
  checkFormat(video.formats[0], 120, "VP8", 90000, 1, "max-fs=12288;max-fr=60");
  BOOST_TEST(video.formats[0].rtcpFeedback.size() == 5U);
  checkFormat(video.formats[1], 124, "rtx", 90000, 1, "apt=120");
  BOOST_TEST(video.formats[1].rtcpFeedback.empty());
  BOOST_REQUIRE(video.ssrcGroups.size() == 1U);
  BOOST_TEST(video.ssrcGroups[0].ids == (std::vector<std::string>{"2231627014", "632943048"}),
             boost::test_tools::per_element());
  BOOST_TEST(video.candidates.empty());
}

BOOST_AUTO_TEST_CASE(jssip_chrome_audio_only_offer) {
  const auto s = mustParse(fixture("jssip_chrome_audio.sdp"));
  BOOST_REQUIRE(s.media.size() == 1U);
  const Group* bundle = findGroup(s, "bundle");  // semantics compare case-insensitively
  BOOST_REQUIRE(bundle != nullptr);
  BOOST_TEST(bundle->ids == std::vector<std::string>{"0"}, boost::test_tools::per_element());
  const auto& m = s.media[0];
  BOOST_TEST(m.port == 61934);
  BOOST_TEST(effectiveConnection(s, m)->address == "203.0.113.45");
  BOOST_REQUIRE(m.candidates.size() == 4U);
  const auto& relay = m.candidates[3];
  BOOST_TEST(relay.type == "relay");
  BOOST_TEST(relay.priority == 41885439U);
  BOOST_TEST(relay.address == "198.51.100.99");
  BOOST_TEST(relay.port == 53208);
  BOOST_TEST(relay.relatedAddress == "203.0.113.45");
  BOOST_TEST(relay.relatedPort == 61934);
  BOOST_TEST(relay.extension("network-id").value() == "1");
  BOOST_REQUIRE(m.ssrcs.size() == 2U);
  BOOST_TEST(m.ssrcs[0].ssrc == 0xDEADBEEFU);
  BOOST_TEST(effectiveDirection(s, m) == Direction::SendRecv);
  BOOST_TEST(m.findFormat(111)->encoding == "opus");
  BOOST_TEST(m.findFormat(126)->encoding == "telephone-event");
}

BOOST_AUTO_TEST_CASE(baresip_plain_rtp_offer) {
  const auto s = mustParse(fixture("baresip_offer.sdp"));
  BOOST_REQUIRE(s.connection.has_value());
  BOOST_TEST(s.connection->address == "192.0.2.30");
  BOOST_TEST(s.origin.sessionId == 1234567890U);
  BOOST_TEST(s.origin.sessionVersion == 1234567891U);
  BOOST_REQUIRE(s.media.size() == 1U);
  const auto& m = s.media[0];
  BOOST_TEST(m.protocol == "RTP/AVP");
  BOOST_TEST(!m.connection.has_value());
  BOOST_TEST(effectiveConnection(s, m)->address == "192.0.2.30");
  BOOST_TEST(m.bandwidth == std::vector<std::string>{"AS:512"}, boost::test_tools::per_element());
  BOOST_REQUIRE(m.formats.size() == 4U);
  checkFormat(m.formats[0], 96, "opus", 48000, 2, "stereo=1;sprop-stereo=1");
  checkFormat(m.formats[1], 0, "PCMU", 8000, 1, "");
  checkFormat(m.formats[2], 8, "PCMA", 8000, 1, "");
  checkFormat(m.formats[3], 101, "telephone-event", 8000, 1, "0-15");
  BOOST_TEST(*m.direction == Direction::SendRecv);
  BOOST_TEST(m.ptime.value() == 20U);
  BOOST_TEST(m.rtcpRsize);
  BOOST_TEST(!m.rtcpMux);
  // The cname holds colons: only the first separates attribute and value.
  BOOST_REQUIRE(m.ssrcs.size() == 1U);
  BOOST_TEST(m.ssrcs[0].ssrc == 2844379162U);
  BOOST_TEST(m.ssrcs[0].attribute == "cname");
  BOOST_TEST(m.ssrcs[0].value == "sip:alice@192.0.2.30");
  BOOST_REQUIRE(m.otherAttributes.size() == 1U);
  BOOST_TEST(m.otherAttributes[0].name == "label");
  BOOST_TEST(m.otherAttributes[0].value == "1");
  BOOST_TEST(m.otherAttributes[0].hasValue);
  BOOST_TEST(m.candidates.empty());
  BOOST_TEST(effectiveFingerprints(s, m).empty());
  BOOST_TEST(effectiveSetup(s, m) == Setup::None);
}

BOOST_AUTO_TEST_CASE(asterisk_offer) {
  const auto s = mustParse(fixture("asterisk_offer.sdp"));
  BOOST_TEST(s.sessionName == "Asterisk");
  BOOST_REQUIRE(s.media.size() == 1U);
  const auto& m = s.media[0];
  BOOST_TEST(m.port == 17402);
  BOOST_REQUIRE(m.formats.size() == 5U);
  checkFormat(m.formats[2], 3, "GSM", 8000, 1, "");
  checkFormat(m.formats[3], 9, "G722", 8000, 1, "");
  checkFormat(m.formats[4], 101, "telephone-event", 8000, 1, "0-16");
  BOOST_TEST(m.ptime.value() == 20U);
  BOOST_TEST(m.maxptime.value() == 150U);
  BOOST_TEST(effectiveDirection(s, m) == Direction::SendRecv);
}

BOOST_AUTO_TEST_CASE(sdes_srtp_offer) {
  const auto s = mustParse(fixture("sdes_savp_offer.sdp"));
  BOOST_TEST(s.origin.username == "callcentre");
  BOOST_TEST(s.sessionName == "SDES call");
  const auto& m = s.media[0];
  BOOST_TEST(m.protocol == "RTP/SAVP");
  BOOST_REQUIRE(m.crypto.size() == 2U);
  BOOST_TEST(m.crypto[0].tag == 1U);
  BOOST_TEST(m.crypto[0].suite == "AES_CM_128_HMAC_SHA1_80");
  BOOST_TEST(m.crypto[0].keyParams == "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32");
  BOOST_TEST(m.crypto[0].sessionParams.empty());
  BOOST_TEST(m.crypto[1].tag == 2U);
  BOOST_TEST(m.crypto[1].suite == "AES_CM_128_HMAC_SHA1_32");
  BOOST_TEST(m.crypto[1].sessionParams == "UNENCRYPTED_SRTCP");
  // G.729 is static: named without an a=rtpmap, its a=fmtp still attached.
  BOOST_REQUIRE(m.formats.size() == 4U);
  checkFormat(m.formats[2], 18, "G729", 8000, 1, "annexb=no");
  BOOST_REQUIRE(m.rtcpPort.has_value());
  BOOST_TEST(*m.rtcpPort == 49171);
  BOOST_TEST(!m.rtcpConnection.has_value());
}

BOOST_AUTO_TEST_CASE(hold_with_sendonly) {
  const auto s = mustParse(fixture("hold_sendonly.sdp"));
  BOOST_TEST(s.origin.sessionVersion == 1402577095U);
  const auto& m = s.media[0];
  BOOST_TEST(*m.direction == Direction::SendOnly);
  BOOST_TEST(effectiveDirection(s, m) == Direction::SendOnly);
  BOOST_TEST(effectiveConnection(s, m)->address == "198.51.100.5");
}

BOOST_AUTO_TEST_CASE(hold_with_zero_connection_address) {
  // RFC 2543 style hold: c=0.0.0.0 and no direction attribute (RFC 3264 §8.4).
  const auto s = mustParse(fixture("hold_rfc2543.sdp"));
  BOOST_TEST(s.origin.username == "CiscoSystemsSIP-GW-UserAgent");
  BOOST_TEST(s.sessionName == "SIP Call");
  const auto& m = s.media[0];
  BOOST_TEST(!m.direction.has_value());
  BOOST_TEST(effectiveDirection(s, m) == Direction::SendRecv);
  BOOST_TEST(s.connection->address == "0.0.0.0");
  BOOST_TEST(effectiveConnection(s, m)->address == "0.0.0.0");
  checkFormat(m.formats[0], 18, "G729", 8000, 1, "annexb=no");
  checkFormat(m.formats[1], 101, "telephone-event", 8000, 1, "0-16");
}

BOOST_AUTO_TEST_CASE(ice_lite_answer_with_datachannel) {
  const auto s = mustParse(fixture("janus_answer_icelite.sdp"));
  BOOST_TEST(s.iceLite);
  BOOST_TEST(s.origin.addressType == "IP6");
  BOOST_TEST(s.origin.address == "2001:db8::5");
  BOOST_TEST(s.msidSemantic == "WMS janus");
  BOOST_REQUIRE(s.media.size() == 2U);
  const auto& audio = s.media[0];
  BOOST_TEST(effectiveDirection(s, audio) == Direction::RecvOnly);
  BOOST_TEST(effectiveSetup(s, audio) == Setup::Active);
  BOOST_TEST(effectiveFingerprints(s, audio).size() == 1U);
  BOOST_TEST(audio.connection->addressType == "IP6");
  BOOST_REQUIRE(audio.candidates.size() == 2U);
  BOOST_TEST(audio.candidates[0].address == "2001:db8::5");
  BOOST_TEST(audio.candidates[0].port == 40256);
  BOOST_TEST(audio.endOfCandidates);

  // Not an RTP profile: the format is a name, not a payload type.
  const auto& data = s.media[1];
  BOOST_TEST(data.type == "application");
  BOOST_TEST(data.protocol == "UDP/DTLS/SCTP");
  BOOST_TEST(!data.isRtp());
  BOOST_TEST(data.formatTokens == std::vector<std::string>{"webrtc-datachannel"},
             boost::test_tools::per_element());
  BOOST_TEST(data.formats.empty());
  BOOST_REQUIRE(data.otherAttributes.size() == 2U);
  BOOST_TEST(data.otherAttributes[0].name == "sctp-port");
  BOOST_TEST(data.otherAttributes[0].value == "5000");
  BOOST_TEST(data.otherAttributes[1].name == "max-message-size");
  BOOST_TEST(data.mid == "1");
}

BOOST_AUTO_TEST_SUITE_END()
