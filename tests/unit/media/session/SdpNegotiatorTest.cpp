#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "media/sdp/SdpParser.h"
#include "media/sdp/SdpWriter.h"
#include "media/session/SdpNegotiator.h"

using namespace callgate::media;
using namespace callgate::media::session;
using bridge::AudioCodec;

namespace {

sdp::SessionDescription fixture(const std::string& name) {
  std::ifstream in(std::string(CALLGATE_FIXTURES_DIR) + "/sdp/" + name);
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  auto parsed = sdp::parseSdp(text.str(), &error);
  BOOST_TEST_REQUIRE(parsed.has_value(), name << ": " << error);
  return *parsed;
}

RemoteAudio audioOf(const sdp::SessionDescription& d) {
  std::string error;
  auto audio = readAudio(d, &error);
  BOOST_TEST_REQUIRE(audio.has_value(), error);
  return *audio;
}

LocalTransport webrtcLocal() {
  LocalTransport t;
  t.address = "127.0.0.1";
  t.iceUfrag = "gwuf";
  t.icePassword = "gatewaypassword0123456789";
  t.candidates = {"candidate:1 1 UDP 2015363327 127.0.0.1 40002 typ host"};
  t.fingerprintAlgorithm = "sha-256";
  t.fingerprint = "AA:BB";
  t.ssrc = 0x01020304;
  t.cname = "callgate";
  t.msidStream = "callgate";
  t.msidTrack = "audio0";
  t.sessionId = 77;
  t.sessionVersion = 1;
  return t;
}

LocalTransport rtpLocal() {
  LocalTransport t;
  t.address = "127.0.0.1";
  t.rtpPort = 20002;
  t.ssrc = 0x0A0B0C0D;
  t.cname = "callgate";
  t.sessionId = 78;
  t.sessionVersion = 1;
  return t;
}

// What we write must read back as what we meant.
RemoteAudio roundTrip(const sdp::SessionDescription& d) {
  std::string error;
  auto parsed = sdp::parseSdp(sdp::writeSdp(d), &error);
  BOOST_TEST_REQUIRE(parsed.has_value(), error);
  return audioOf(*parsed);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdp_negotiator)

BOOST_AUTO_TEST_CASE(reads_a_browser_offer) {
  const auto a = audioOf(fixture("jssip_chrome_audio.sdp"));
  BOOST_TEST((a.kind == LegKind::WebRtc));
  BOOST_TEST((codecsOf(a) ==
              std::vector<AudioCodec>{AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma}));
  BOOST_TEST(a.codecs[0].payloadType == 111);
  BOOST_TEST(a.telephoneEvent48k.value() == 110);
  BOOST_TEST(a.telephoneEvent8k.value() == 126);
  BOOST_TEST(a.iceUfrag == "Kx7q");
  BOOST_TEST(a.fingerprintAlgorithm == "sha-256");
  BOOST_TEST((a.setup == sdp::Setup::ActPass));
  BOOST_TEST(a.rtcpMux);
  BOOST_TEST(a.mid == "0");
  BOOST_TEST(a.candidates.size() == 4u);
  BOOST_TEST(a.candidates[0].starts_with("candidate:2999745851 1 udp"));
}

BOOST_AUTO_TEST_CASE(reads_a_sip_phone_offer) {
  const auto a = audioOf(fixture("baresip_offer.sdp"));
  BOOST_TEST((a.kind == LegKind::Rtp));
  BOOST_TEST(!a.savp);
  BOOST_TEST(a.address == "192.0.2.30");
  BOOST_TEST(a.port == 10000);
  BOOST_TEST((codecsOf(a) ==
              std::vector<AudioCodec>{AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma}));
  BOOST_TEST(a.codecs[0].payloadType == 96);
  BOOST_TEST(a.telephoneEvent8k.value() == 101);
}

BOOST_AUTO_TEST_CASE(unusable_offers_give_reasons) {
  std::string error;
  auto noAudio = fixture("baresip_offer.sdp");
  noAudio.media[0].type = "video";
  BOOST_TEST(!readAudio(noAudio, &error).has_value());
  BOOST_TEST(error == "no audio stream");
  auto noFingerprint = fixture("jssip_chrome_audio.sdp");
  noFingerprint.media[0].fingerprints.clear();
  noFingerprint.fingerprints.clear();
  BOOST_TEST(!readAudio(noFingerprint, &error).has_value());
  BOOST_TEST(error == "WebRTC audio without a DTLS fingerprint");
  auto onlyG729 = fixture("sdes_savp_offer.sdp");
  onlyG729.media[0].formats.erase(onlyG729.media[0].formats.begin(),
                                  onlyG729.media[0].formats.begin() + 2);
  BOOST_TEST(!readAudio(onlyG729, &error).has_value());
  BOOST_TEST(error == "no supported audio codec (opus, PCMU, PCMA)");
}

BOOST_AUTO_TEST_CASE(offer_to_a_peer_lists_shared_codecs_first) {
  LegProfile peer{LegKind::Rtp, {AudioCodec::Pcma, AudioCodec::Pcmu, AudioCodec::Opus}, false};
  const auto offer = makeOffer(peer, {AudioCodec::Opus, AudioCodec::Pcmu}, rtpLocal(),
                               sdp::Direction::SendRecv, sdp::Setup::None);
  const auto& m = offer.media.at(0);
  BOOST_TEST(m.protocol == "RTP/AVP");
  BOOST_TEST(m.port == 20002);
  // Shared ones in the peer's order, then the rest: PCMU, opus, PCMA.
  BOOST_TEST((m.formatTokens == std::vector<std::string>{"0", "111", "8", "110", "101"}));
  const auto back = roundTrip(offer);
  BOOST_TEST(back.address == "127.0.0.1");
  BOOST_TEST(back.telephoneEvent8k.value() == 101);
  BOOST_TEST(back.codecs[1].fmtp == "minptime=10;useinbandfec=1");
  BOOST_TEST(sdp::writeSdp(offer).find("a=fingerprint") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(offer_to_a_browser_is_webrtc) {
  LegProfile browser{
      LegKind::WebRtc, {AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma}, false};
  const auto offer = makeOffer(browser, {AudioCodec::Pcmu}, webrtcLocal(), sdp::Direction::SendRecv,
                               sdp::Setup::ActPass);
  const auto text = sdp::writeSdp(offer);
  BOOST_TEST(text.find("a=group:BUNDLE 0") != std::string::npos);
  BOOST_TEST(text.find("a=setup:actpass") != std::string::npos);
  BOOST_TEST(text.find("a=ssrc:16909060 cname:callgate") != std::string::npos);
  const auto back = roundTrip(offer);
  BOOST_TEST((back.kind == LegKind::WebRtc));
  BOOST_TEST(back.port == 40002);  // the candidate's port
  BOOST_TEST(back.rtcpMux);
  BOOST_TEST(back.candidates.size() == 1u);
  BOOST_TEST((codecsOf(back).front() == AudioCodec::Pcmu));
}

BOOST_AUTO_TEST_CASE(answer_to_a_browser_keeps_bundle_and_takes_the_client_role) {
  const auto offer = fixture("chrome_offer_bundle.sdp");
  const auto audio = audioOf(offer);
  const auto codec =
      chooseAnswerCodec(audio, {AudioCodec::Opus, AudioCodec::Pcmu}, AudioCodec::Pcmu);
  BOOST_TEST_REQUIRE(codec.has_value());
  BOOST_TEST((codec->codec == AudioCodec::Pcmu));
  const auto answer = makeAnswer(offer, audio, *codec, webrtcLocal(), sdp::Direction::SendRecv,
                                 answerSetup(audio.setup));
  BOOST_TEST(answer.media.size() == offer.media.size());
  for (size_t i = 0; i < answer.media.size(); ++i) {
    BOOST_TEST(answer.media[i].mid == offer.media[i].mid);
    if (i != audio.mediaIndex) BOOST_TEST(answer.media[i].port == 0);
  }
  const auto* bundle = sdp::findGroup(answer, "BUNDLE");
  BOOST_TEST_REQUIRE(bundle != nullptr);
  BOOST_TEST((bundle->ids == std::vector<std::string>{audio.mid}));
  const auto back = roundTrip(answer);
  BOOST_TEST((back.setup == sdp::Setup::Active));
  BOOST_TEST(back.codecs.size() == 1u);
  BOOST_TEST(back.codecs[0].payloadType == codec->payloadType);
}

BOOST_AUTO_TEST_CASE(codec_choice_relays_when_it_can) {
  const auto audio = audioOf(fixture("jssip_chrome_audio.sdp"));
  const std::vector<AudioCodec> all{AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma};
  BOOST_TEST((chooseAnswerCodec(audio, all, AudioCodec::Pcma)->codec == AudioCodec::Pcma));
  BOOST_TEST((chooseAnswerCodec(audio, all, AudioCodec::Opus)->codec == AudioCodec::Opus));
  // PCMA not allowed toward this side: transcode from its first allowed codec.
  BOOST_TEST(
      (chooseAnswerCodec(audio, {AudioCodec::Opus}, AudioCodec::Pcma)->codec == AudioCodec::Opus));
  BOOST_TEST(!chooseAnswerCodec(audio, {}, AudioCodec::Pcma).has_value());
}

BOOST_AUTO_TEST_CASE(telephone_event_follows_the_codec_clock) {
  const auto audio = audioOf(fixture("jssip_chrome_audio.sdp"));
  const auto opus = streamFormat(audio.codecs[0], audio);
  BOOST_TEST(opus.telephoneEventPayloadType.value() == 110);
  BOOST_TEST(opus.telephoneEventClockRate == 48000u);
  const auto pcmu = streamFormat(audio.codecs[1], audio);
  BOOST_TEST(pcmu.telephoneEventPayloadType.value() == 126);
  BOOST_TEST(pcmu.clockRate == 8000u);
}

BOOST_AUTO_TEST_CASE(directions_answer_as_rfc3264_says) {
  using D = sdp::Direction;
  BOOST_TEST((answerDirection(D::SendRecv, D::SendRecv) == D::SendRecv));
  BOOST_TEST((answerDirection(D::SendOnly, D::SendRecv) == D::RecvOnly));
  BOOST_TEST((answerDirection(D::RecvOnly, D::SendRecv) == D::SendOnly));
  BOOST_TEST((answerDirection(D::Inactive, D::SendRecv) == D::Inactive));
  BOOST_TEST((answerDirection(D::SendRecv, D::RecvOnly) == D::RecvOnly));
  BOOST_TEST((answerDirection(D::SendOnly, D::SendOnly) == D::Inactive));
}

BOOST_AUTO_TEST_CASE(sdes_answer_keys_the_offered_suite) {
  const auto offer = fixture("sdes_savp_offer.sdp");
  const auto audio = audioOf(offer);
  BOOST_TEST(audio.savp);
  BOOST_TEST(audio.crypto.size() == 1u);  // the 32-bit tag suite is not supported
  auto local = rtpLocal();
  local.sdesKeyBase64 = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
  const auto answer =
      makeAnswer(offer, audio, audio.codecs[0], local, sdp::Direction::SendRecv, sdp::Setup::None);
  const auto& m = answer.media.at(0);
  BOOST_TEST(m.protocol == "RTP/SAVP");
  BOOST_TEST_REQUIRE(m.crypto.size() == 1u);
  BOOST_TEST(m.crypto[0].tag == 1u);
  BOOST_TEST(m.crypto[0].suite == "AES_CM_128_HMAC_SHA1_80");
  BOOST_TEST(m.crypto[0].keyParams == "inline:" + local.sdesKeyBase64);
}

BOOST_AUTO_TEST_SUITE_END()
