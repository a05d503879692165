// Feeds a call's bridge hostile RTP and RTCP from both sides, with ticks in
// between, for every pairing of codecs (passthrough and transcoding paths).
// Whatever comes in, what the bridge sends must be well-formed RTP/RTCP that
// carries our own SSRC for that side, and never more than a datagram.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "media/bridge/MediaBridge.h"
#include "media/rtp/RtcpPacket.h"
#include "media/rtp/RtpPacket.h"

namespace {

using namespace callgate::media;

void check(bool condition) {
  if (!condition) std::abort();
}

constexpr uint32_t kSsrcA = 0x0A0A0A0A;
constexpr uint32_t kSsrcB = 0x0B0B0B0B;

class CheckingSink final : public bridge::PacketSink {
 public:
  explicit CheckingSink(uint32_t ssrc) : ssrc_(ssrc) {}
  bool sendRtp(uint8_t* buffer, size_t length) override {
    check(length <= 1500);
    auto packet = rtp::RtpPacket::parse({buffer, length});
    check(packet.has_value());
    check(packet->ssrc() == ssrc_);
    return true;
  }
  bool sendRtcp(uint8_t* buffer, size_t length) override {
    check(length <= 1500);
    check(rtp::RtcpCompound::parse({buffer, length}).has_value());
    return true;
  }

 private:
  uint32_t ssrc_;
};

bridge::StreamFormat formatFor(uint8_t selector) {
  bridge::StreamFormat f;
  switch (selector % 3) {
    case 0:
      f = {bridge::AudioCodec::Pcmu, 0, 8000, std::nullopt, 8000};
      break;
    case 1:
      f = {bridge::AudioCodec::Pcma, 8, 8000, std::nullopt, 8000};
      break;
    default:
      f = {bridge::AudioCodec::Opus, 111, 48000, std::nullopt, 8000};
      break;
  }
  if (selector & 4) {
    f.telephoneEventPayloadType = (selector & 8) ? 110 : 101;
    f.telephoneEventClockRate = (selector & 8) ? 48000 : 8000;
  }
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  CheckingSink sinkA(kSsrcA);
  CheckingSink sinkB(kSsrcB);
  bridge::BridgeSettings settings;
  settings.cname = "fuzz";
  auto bridge = bridge::MediaBridge::create(sinkA, sinkB, kSsrcA, kSsrcB, settings);
  std::string error;
  if (!bridge->configure(formatFor(data[0]), (data[1] & 1) != 0, formatFor(data[0] >> 4),
                         (data[1] & 2) != 0, &error)) {
    return 0;
  }
  int64_t now = 1'000'000;
  size_t i = 2;
  std::vector<uint8_t> packet;
  // Records: [control byte][length byte][length bytes]. Control: bit 0 side,
  // bit 1 RTCP, bits 2-4 ticks to run before it, bit 5 a DTMF digit instead.
  while (i + 2 <= size) {
    const uint8_t control = data[i];
    const size_t length = data[i + 1];
    i += 2;
    const size_t take = std::min(length, size - i);
    for (int t = 0; t < ((control >> 2) & 7); ++t) {
      now += 20'000;
      bridge->onTick(now);
    }
    const auto side = (control & 1) ? bridge::Side::B : bridge::Side::A;
    if (control & 0x20) {
      bridge->sendDtmf(side, static_cast<char>('0' + (length % 10)), 100);
    } else {
      packet.assign(data + i, data + i + take);
      if (control & 2) {
        bridge->onRtcp(side, packet, now);
      } else {
        bridge->onRtp(side, packet, now);
      }
    }
    i += take;
  }
  for (int t = 0; t < 10; ++t) {
    now += 20'000;
    bridge->onTick(now);
  }
  return 0;
}
