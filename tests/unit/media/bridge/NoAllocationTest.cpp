// After configure() the packet path must not allocate (DESIGN.md, "Threads
// and the media path"): onRtp, onRtcp, onTick and sendDtmf run between two
// readings of the allocation counter (support/AllocationCounter.h).

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "BridgeTestUtil.h"
#include "media/bridge/MediaBridge.h"
#include "media/codec/AudioFrame.h"
#include "media/codec/G711.h"
#include "media/codec/OpusCodec.h"
#include "media/codec/TelephoneEvent.h"
#include "media/rtp/RtcpPacket.h"
#include "support/AllocationCounter.h"

namespace codec = callgate::media::codec;
namespace rtp = callgate::media::rtp;
using namespace callgate::media::bridge;
using namespace callgate::media::bridge::test;

namespace {

// Counts what it is given; never allocates.
class CountingSink : public PacketSink {
 public:
  bool sendRtp(uint8_t*, size_t length) override {
    ++rtp;
    bytes += length;
    return true;
  }
  bool sendRtcp(uint8_t*, size_t) override {
    ++rtcp;
    return true;
  }
  unsigned long rtp = 0;
  unsigned long rtcp = 0;
  unsigned long bytes = 0;
};

// Everything the loop feeds, built before the counter is read.
struct Traffic {
  std::vector<std::vector<uint8_t>> fromA;  // Opus (or PCMU), events
  std::vector<std::vector<uint8_t>> fromB;  // PCMU
  std::vector<uint8_t> srFromA;
};

Traffic makeTraffic(int frames, bool opusA) {
  Traffic t;
  std::string error;
  auto encoder = codec::OpusEncoder::create(48000, 1, 5, 32000, &error);
  BOOST_REQUIRE(encoder);
  std::array<int16_t, codec::kFrameSamples48k> pcm48{};
  std::array<int16_t, codec::kFrameSamples8k> pcm8{};
  std::array<uint8_t, 1500> packet{};
  std::array<uint8_t, 160> g711{};
  uint16_t seqA = 65000;  // wraps during the run
  for (int k = 0; k < frames; ++k) {
    if (opusA) {
      fillSine(pcm48, 1, 48000, 440, 6000, static_cast<size_t>(k) * pcm48.size());
      const int bytes = encoder->encode(pcm48, packet);
      BOOST_REQUIRE(bytes > 0);
      t.fromA.push_back(
          makeRtp(111, seqA++, 960U * static_cast<uint32_t>(k), 0xA,
                  std::span<const uint8_t>(packet.data(), static_cast<size_t>(bytes))));
    } else {
      fillSine(pcm8, 1, 8000, 440, 6000, static_cast<size_t>(k) * pcm8.size());
      codec::ulawEncode(pcm8, g711);
      t.fromA.push_back(makeRtp(0, seqA++, 160U * static_cast<uint32_t>(k), 0xA, g711));
    }
    if (k % 100 == 40) {  // a digit every 2 s, end packet included
      std::array<uint8_t, 4> event{};
      codec::writeTelephoneEvent({3, k % 200 == 140, 10, 960}, event);
      t.fromA.push_back(
          makeRtp(opusA ? 126 : 101, seqA++, 960U * static_cast<uint32_t>(k), 0xA, event, true));
    }
    fillSine(pcm8, 1, 8000, 1000, 6000, static_cast<size_t>(k) * pcm8.size());
    codec::ulawEncode(pcm8, g711);
    t.fromB.push_back(
        makeRtp(0, static_cast<uint16_t>(k), 160U * static_cast<uint32_t>(k), 0xB, g711));
  }
  t.srFromA.resize(128);
  t.srFromA.resize(rtp::writeSenderReport(t.srFromA, 0xA, 1, 2, 3, 4, 5, {}));
  return t;
}

// Runs the traffic through `bridge`, 20 ms per frame, with losses; returns
// the allocations seen.
unsigned long run(MediaBridge& bridge, const Traffic& t) {
  std::array<uint8_t, 1600> buffer{};
  auto feed = [&](Side side, const std::vector<uint8_t>& p, int64_t now) {
    std::memcpy(buffer.data(), p.data(), p.size());
    bridge.onRtp(side, std::span<uint8_t>(buffer.data(), p.size()), now);
  };
  const unsigned long before = callgate::test::allocationCount();
  size_t a = 0;
  for (size_t k = 0; k < t.fromB.size(); ++k) {
    const auto now = static_cast<int64_t>(k) * 20'000;
    // A's packets for this frame (audio, maybe an event); one in 25 lost.
    const size_t until = std::min(t.fromA.size(), a + (k % 100 == 40 ? 2 : 1));
    for (; a < until; ++a) {
      if (k % 25 != 7) feed(Side::A, t.fromA[a], now);
    }
    feed(Side::B, t.fromB[k], now + 3'000);
    if (k == 30) {
      std::memcpy(buffer.data(), t.srFromA.data(), t.srFromA.size());
      bridge.onRtcp(Side::A, std::span<uint8_t>(buffer.data(), t.srFromA.size()), now);
    }
    if (k % 150 == 60) {
      bridge.sendDtmf(Side::A, '9', 120);
      bridge.sendDtmf(Side::B, '*', 120);
    }
    // Ticks slip by up to 50 ms now and then.
    bridge.onTick(now + (k % 97 == 5 ? 50'000 : 1'000));
  }
  return callgate::test::allocationCount() - before;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bridge_no_allocation)

BOOST_AUTO_TEST_CASE(transcoding_path_does_not_allocate) {
  const Traffic t = makeTraffic(400, true);
  CountingSink a;
  CountingSink b;
  BridgeSettings settings;
  settings.cname = "noalloc@callgate.test";
  auto bridge = MediaBridge::create(a, b, 1, 2, settings);
  std::string error;
  BOOST_REQUIRE(bridge->configure(opus(111, 126), true, pcmu(0, 101), true, &error));
  const unsigned long allocations = run(*bridge, t);
  BOOST_TEST(allocations == 0U);
  const BridgeStats stats = bridge->stats();
  BOOST_TEST(stats.transcodedFrames > 700U);  // both directions, 8 s
  BOOST_TEST(stats.concealedFrames > 0U);
  BOOST_TEST(stats.telephoneEvents > 0U);
  BOOST_TEST(stats.rtcpSent > 0U);
  BOOST_TEST(a.rtcp > 0U);
}

BOOST_AUTO_TEST_CASE(passthrough_path_does_not_allocate) {
  const Traffic t = makeTraffic(400, false);
  CountingSink a;
  CountingSink b;
  auto bridge = MediaBridge::create(a, b, 1, 2, BridgeSettings{});
  std::string error;
  BOOST_REQUIRE(bridge->configure(pcmu(0, 101), true, pcmu(0, 101), true, &error));
  const unsigned long allocations = run(*bridge, t);
  BOOST_TEST(allocations == 0U);
  BOOST_TEST(bridge->stats().relayed > 700U);
  BOOST_TEST(bridge->stats().telephoneEvents > 0U);
}

BOOST_AUTO_TEST_SUITE_END()
