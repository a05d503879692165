#pragma once
// MediaBridge for one call: two sides, two directions. Each side has the
// output stream we send toward it, its RTCP reporter and its generated DTMF;
// each direction (from one side toward the other) has either the
// passthrough mapper or a transcoder, chosen by configure().

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "media/bridge/DtmfSender.h"
#include "media/bridge/EventRelay.h"
#include "media/bridge/MediaBridge.h"
#include "media/bridge/OutputStream.h"
#include "media/bridge/Random.h"
#include "media/bridge/RtcpReporter.h"
#include "media/bridge/StreamMapper.h"
#include "media/bridge/Transcoder.h"

namespace callgate::media::rtp {
class RtpPacket;
}

namespace callgate::media::bridge {

class CallBridge final : public MediaBridge {
 public:
  // The transcoder's 20 ms slot; late ticks catch up at most this many.
  static constexpr int64_t kSlotUs = 20'000;
  static constexpr int kMaxCatchUpSlots = 3;

  CallBridge(PacketSink& sideA, PacketSink& sideB, uint32_t ssrcA, uint32_t ssrcB,
             const BridgeSettings& settings);

  bool configure(const StreamFormat& formatA, bool sendToA, const StreamFormat& formatB,
                 bool sendToB, std::string* error) override;
  void onRtp(Side from, std::span<uint8_t> packet, int64_t nowUs) override;
  void onRtcp(Side from, std::span<uint8_t> packet, int64_t nowUs) override;
  void onTick(int64_t nowUs) override;
  bool sendDtmf(Side to, char digit, int durationMs) override;
  BridgeStats stats() const override { return stats_; }

 private:
  // What we send toward one side.
  struct Peer {
    Peer(PacketSink& s, uint32_t ssrc, uint16_t firstSequence, uint32_t firstTimestamp)
        : sink(s), out(ssrc, firstSequence, firstTimestamp) {}
    // passed in
    PacketSink& sink;
    // owned
    StreamFormat format;
    bool sendTo = false;
    OutputStream out;
    RtcpReporter rtcp;
    DtmfSender dtmf;
  };

  // Media from one side toward the other.
  struct Direction {
    SourceTracker source;
    // passthrough
    StreamMapper mapper;
    // transcoding
    std::unique_ptr<Transcoder> transcoder;
    bool timelineStarted = false;
    uint32_t nextSlotTimestamp = 0;  // output timestamp of the next 20 ms slot
    bool markNext = false;           // next frame starts a talk spurt
    EventRelay events;
  };

  static size_t index(Side side) { return side == Side::A ? 0 : 1; }
  static Side other(Side side) { return side == Side::A ? Side::B : Side::A; }
  Peer& peer(Side side) { return peers_[index(side)]; }
  const Peer& peer(Side side) const { return peers_[index(side)]; }
  Direction& direction(Side from) { return directions_[index(from)]; }

  void relay(Side from, const rtp::RtpPacket& packet, int64_t nowUs);
  void transcodeInput(Side from, const rtp::RtpPacket& packet, int64_t nowUs);
  // Audio toward `to` may go out now (not on hold, no DTMF of ours playing).
  bool audioAllowed(Side to) const;
  // The timestamp the next packet toward `to` starts at on our timeline.
  uint32_t nextTimestampToward(Side to, int64_t nowUs);
  void startTimeline(Direction& d, Side to, int64_t nowUs);
  void playSlot(Side from, int64_t nowUs);
  void skipSlots(Side from, int64_t count, int64_t nowUs);
  void noteClock(int64_t nowUs);
  void runDtmf(Side to, int64_t nowUs);
  void runRtcp(Side to, int64_t nowUs);
  void sendRtp(Side to, uint8_t payloadType, bool marker, uint16_t sequence, uint32_t timestamp,
               size_t payloadLength, int64_t nowUs);

  // owned
  BridgeSettings settings_;
  Xorshift64 random_;
  std::array<Peer, 2> peers_;
  std::array<Direction, 2> directions_;  // indexed by the side media comes from
  bool configured_ = false;
  bool haveSchedule_ = false;
  int64_t nextSlotUs_ = 0;
  bool haveWallOffset_ = false;
  int64_t wallOffsetUs_ = 0;  // wall clock minus the caller's clock
  std::array<uint8_t, kSinkCapacity> rtcpBuffer_{};
  BridgeStats stats_;
};

}  // namespace callgate::media::bridge
