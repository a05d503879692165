// configure(): validation, path choice, and that nothing happens before it;
// and that hostile input never makes the bridge send anything malformed.

#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "BridgeTestUtil.h"
#include "CallFixture.h"
#include "media/bridge/StreamFormat.h"
#include "media/rtp/RtcpPacket.h"

using namespace callgate::media::bridge;
using namespace callgate::media::bridge::test;

BOOST_AUTO_TEST_SUITE(bridge_configure)

BOOST_AUTO_TEST_CASE(codec_names) {
  BOOST_TEST(audioCodecName(AudioCodec::Pcmu) == "PCMU");
  BOOST_TEST(audioCodecName(AudioCodec::Pcma) == "PCMA");
  BOOST_TEST(audioCodecName(AudioCodec::Opus) == "opus");
}

BOOST_AUTO_TEST_CASE(every_codec_pair_has_a_path) {
  const std::array<StreamFormat, 3> formats = {pcmu(), pcma(), opus()};
  for (const auto& fa : formats) {
    for (const auto& fb : formats) {
      Call c(fa, fb);
      BOOST_TEST(c.bridge->stats().transcoding == (fa.codec != fb.codec));
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_formats_are_rejected_and_change_nothing) {
  Call c(pcmu(), pcmu());
  std::string error;
  StreamFormat wideband = pcmu();
  wideband.clockRate = 16000;
  BOOST_TEST(!c.bridge->configure(wideband, true, opus(), true, &error));
  BOOST_TEST(!error.empty());
  error.clear();
  StreamFormat badPt = opus();
  badPt.payloadType = 200;
  BOOST_TEST(!c.bridge->configure(pcmu(), true, badPt, true, &error));
  BOOST_TEST(!error.empty());
  StreamFormat clash = pcmu(0, 0);  // telephone-event on the audio payload type
  BOOST_TEST(!c.bridge->configure(clash, true, pcmu(), true, &error));
  StreamFormat opus8k = opus();
  opus8k.clockRate = 8000;
  BOOST_TEST(!c.bridge->configure(pcmu(), true, opus8k, true, nullptr));
  BridgeSettings broken = Call::defaultSettings();
  broken.opusComplexity = 42;
  {
    Call other(pcmu(), pcmu(), true, true, broken);
    error.clear();
    BOOST_TEST(!other.bridge->configure(pcmu(), true, opus(), true, &error));
    BOOST_TEST(!error.empty());
    BOOST_TEST(!other.bridge->stats().transcoding);
  }

  // Still the first configuration: PCMU relayed with its payload type.
  BOOST_TEST(!c.bridge->stats().transcoding);
  c.rtp(Side::A, makeRtp(0, 1, 0, 0x1234, fillPayload(160, 0)));
  BOOST_REQUIRE_EQUAL(c.b.rtp.size(), 1U);
  BOOST_TEST(c.b.rtp[0].payloadType == 0);
}

BOOST_AUTO_TEST_CASE(nothing_flows_before_configure) {
  int64_t now = 0;
  RecordingSink a(now);
  RecordingSink b(now);
  auto bridge = MediaBridge::create(a, b, 1, 2, Call::defaultSettings());
  auto packet = makeRtp(0, 1, 0, 0x1234, fillPayload(160, 0));
  bridge->onRtp(Side::A, packet, 0);
  BOOST_TEST(!bridge->sendDtmf(Side::B, '1', 100));
  for (int k = 0; k < 200; ++k) bridge->onTick(k * 20'000);
  BOOST_TEST(a.rtp.empty());
  BOOST_TEST(b.rtp.empty());
  BOOST_TEST(a.rtcp.empty());
  BOOST_TEST(b.rtcp.empty());
}

BOOST_AUTO_TEST_CASE(reconfigure_with_new_payload_types_keeps_the_stream) {
  Call c(opus(111), opus(111));
  c.rtp(Side::A, makeRtp(111, 1, 960, 0x1234, fillPayload(50, 0)));
  c.now += 20'000;
  c.reconfigure(opus(111), true, opus(96), true);  // B's answer changed the PT
  c.rtp(Side::A, makeRtp(111, 2, 1920, 0x1234, fillPayload(50, 1)));
  BOOST_REQUIRE_EQUAL(c.b.rtp.size(), 2U);
  BOOST_TEST(c.b.rtp[1].payloadType == 96);
  BOOST_TEST(consecutive(c.b.rtp));
  BOOST_TEST(c.b.rtp[1].timestamp == c.b.rtp[0].timestamp + 960U);
}

// Random and mangled packets on every entry point, on both paths: the
// sinks must only ever see well-formed RTP with our SSRC, and parse every
// RTCP we produce. (Sanitizers catch any out-of-bounds access.)
BOOST_AUTO_TEST_CASE(hostile_input_never_produces_malformed_output) {
  uint64_t state = 0x1234567887654321ULL;
  auto rnd = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::array<std::pair<StreamFormat, StreamFormat>, 3> paths = {
      {{pcmu(), pcmu()}, {opus(), pcma()}, {pcma(), opus()}}};
  for (const auto& [fa, fb] : paths) {
    Call c(fa, fb);
    for (int i = 0; i < 3000; ++i) {
      std::vector<uint8_t> p(rnd() % 300);
      for (auto& byte : p) byte = static_cast<uint8_t>(rnd());
      if (!p.empty() && rnd() % 2) p[0] = static_cast<uint8_t>(0x80 | (p[0] & 0x3F));  // version 2
      if (p.size() > 1 && rnd() % 2) {
        // Mostly payload types the legs agreed.
        const std::array<uint8_t, 4> pts = {0, 8, 111, 126};
        p[1] = static_cast<uint8_t>((p[1] & 0x80) | pts[rnd() % pts.size()]);
      }
      const Side side = rnd() % 2 ? Side::A : Side::B;
      if (rnd() % 4 == 0) {
        c.rtcp(side, p);
      } else {
        c.rtp(side, p);
      }
      if (rnd() % 3 == 0) {
        c.now += static_cast<int64_t>(rnd() % 40'000);
        c.tick();
      }
      if (rnd() % 500 == 0) c.bridge->sendDtmf(side, "0123456789*#ABCD"[rnd() % 16], 100);
    }
    for (RecordingSink* sink : {&c.a, &c.b}) {
      BOOST_TEST(sink->malformed == 0);
      const uint32_t ours = sink == &c.a ? Call::kSsrcA : Call::kSsrcB;
      for (const auto& s : sink->rtp) {
        BOOST_TEST(s.ssrc == ours);
        BOOST_TEST(s.size <= 1500U);
      }
      for (auto& r : sink->rtcp) {
        BOOST_TEST(callgate::media::rtp::RtcpCompound::parse(r.bytes).has_value());
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
