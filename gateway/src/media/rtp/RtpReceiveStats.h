#pragma once
// Reception statistics for one remote RTP source, as RFC 3550 Appendix A
// computes them: sequence validation with probation and restart (A.1),
// expected/lost counts (A.3), the fraction lost since the previous report, and
// interarrival jitter (A.8). Fixed-size state, no allocation.

#include <cstdint>

#include "media/rtp/RtcpPacket.h"

namespace callgate::media::rtp {

class RtpReceiveStats {
 public:
  // A.1 constants: a source is valid after kMinSequential in-order packets;
  // jumps up to kMaxDropout ahead are losses, up to kMaxMisorder behind are
  // late packets, anything else is a possible restart.
  static constexpr int kMinSequential = 2;
  static constexpr uint32_t kMaxDropout = 3000;
  static constexpr uint32_t kMaxMisorder = 100;

  explicit RtpReceiveStats(uint32_t ssrc = 0) : ssrc_(ssrc) {}

  // Accounts one packet. `arrival` is the arrival time in RTP clock units and
  // `rtpTimestamp` the packet's timestamp; both may wrap. Returns false when
  // the packet is not counted: still in probation, or a jump that may be a
  // restart (a second packet right after it restarts the statistics).
  bool update(uint16_t sequence, uint32_t arrival, uint32_t rtpTimestamp);

  uint32_t ssrc() const { return ssrc_; }
  bool valid() const { return valid_; }  // probation passed
  // Cycles (count of wraps, shifted by 16) plus the highest sequence seen.
  uint32_t extendedHighestSequence() const { return cycles_ + maxSeq_; }
  uint32_t expected() const;
  uint32_t received() const { return received_; }
  // expected - received: negative when duplicates outnumber losses.
  int64_t cumulativeLost() const;
  // Interarrival jitter in RTP timestamp units (A.8).
  uint32_t jitter() const { return jitterScaled_ >> 4; }

  // Fraction lost since the previous call, in 1/256 (A.3); starts a new
  // reporting interval.
  uint8_t takeFractionLost();

  // Everything for a report block about this source; starts a new interval.
  // lastSr is the middle 32 bits of the last SR's NTP timestamp from this
  // source, delaySinceLastSr in 1/65536 s since it arrived (RFC 3550 §6.4.1).
  void fillReportBlock(ReportBlockData& block, uint32_t lastSr, uint32_t delaySinceLastSr);

 private:
  static constexpr uint32_t kSeqMod = 1U << 16;

  void initSequence(uint16_t sequence);
  bool updateSequence(uint16_t sequence);
  void updateJitter(uint32_t arrival, uint32_t rtpTimestamp);

  uint32_t ssrc_;
  bool started_ = false;  // a first packet has been seen
  bool valid_ = false;    // probation passed
  int probation_ = kMinSequential;
  uint16_t maxSeq_ = 0;
  uint32_t cycles_ = 0;
  uint32_t baseSeq_ = 0;
  uint32_t badSeq_ = kSeqMod + 1;  // never equal to a 16-bit sequence
  uint32_t received_ = 0;
  uint32_t expectedPrior_ = 0;
  uint32_t receivedPrior_ = 0;
  bool haveTransit_ = false;
  uint32_t transit_ = 0;
  uint32_t jitterScaled_ = 0;  // jitter * 16, the integer form of A.8
};

}  // namespace callgate::media::rtp
