#pragma once
// One bridged call under test: a bridge between two recording sinks, a test
// clock, and shorthands to feed it.

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

#include "BridgeTestUtil.h"
#include "media/bridge/MediaBridge.h"

namespace callgate::media::bridge::test {

struct Call {
  static constexpr uint32_t kSsrcA = 0xA1A2A3A4;  // ours toward A
  static constexpr uint32_t kSsrcB = 0xB1B2B3B4;  // ours toward B

  explicit Call(const StreamFormat& fa, const StreamFormat& fb, bool sendToA = true,
                bool sendToB = true, BridgeSettings settings = defaultSettings()) {
    bridge = MediaBridge::create(a, b, kSsrcA, kSsrcB, settings);
    reconfigure(fa, sendToA, fb, sendToB);
  }

  static BridgeSettings defaultSettings() {
    BridgeSettings s;
    s.cname = "bridge@callgate.test";
    return s;
  }

  void reconfigure(const StreamFormat& fa, bool sendToA, const StreamFormat& fb, bool sendToB) {
    std::string error;
    BOOST_REQUIRE_MESSAGE(bridge->configure(fa, sendToA, fb, sendToB, &error), error);
  }

  void rtp(Side from, std::vector<uint8_t> packet) { bridge->onRtp(from, packet, now); }
  void rtcp(Side from, std::vector<uint8_t> packet) { bridge->onRtcp(from, packet, now); }
  void tick() { bridge->onTick(now); }
  RecordingSink& sink(Side to) { return to == Side::A ? a : b; }

  int64_t now = 0;
  RecordingSink a{now};
  RecordingSink b{now};
  std::unique_ptr<MediaBridge> bridge;
};

}  // namespace callgate::media::bridge::test
