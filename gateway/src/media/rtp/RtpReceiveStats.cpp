#include "media/rtp/RtpReceiveStats.h"

#include <algorithm>

namespace callgate::media::rtp {

void RtpReceiveStats::initSequence(uint16_t sequence) {
  baseSeq_ = sequence;
  maxSeq_ = sequence;
  badSeq_ = kSeqMod + 1;
  cycles_ = 0;
  received_ = 0;
  receivedPrior_ = 0;
  expectedPrior_ = 0;
}

// RFC 3550 A.1 update_seq().
bool RtpReceiveStats::updateSequence(uint16_t sequence) {
  if (!started_) {
    // A.1: a new source starts in probation, as if the previous packet had
    // been sequence - 1.
    initSequence(sequence);
    maxSeq_ = static_cast<uint16_t>(sequence - 1);
    probation_ = kMinSequential;
    started_ = true;
  }
  const uint16_t delta = static_cast<uint16_t>(sequence - maxSeq_);
  if (probation_ > 0) {
    // Wrap-aware "sequence == max_seq + 1".
    if (delta == 1) {
      --probation_;
      maxSeq_ = sequence;
      if (probation_ == 0) {
        initSequence(sequence);
        valid_ = true;
        ++received_;
        return true;
      }
    } else {
      probation_ = kMinSequential - 1;
      maxSeq_ = sequence;
    }
    return false;
  }
  if (delta < kMaxDropout) {
    // In order, possibly with a gap; a smaller number means it wrapped.
    if (sequence < maxSeq_) cycles_ += kSeqMod;
    maxSeq_ = sequence;
  } else if (delta <= kSeqMod - kMaxMisorder) {
    // A large jump: two sequential packets after it mean the sender restarted.
    if (sequence == badSeq_) {
      initSequence(sequence);
    } else {
      badSeq_ = (static_cast<uint32_t>(sequence) + 1) & (kSeqMod - 1);
      return false;
    }
  }
  // else: a duplicate or a reordered packet, counted but not advancing max.
  ++received_;
  return true;
}

// RFC 3550 A.8, integer form: J += |D| - J/16 with J kept scaled by 16.
void RtpReceiveStats::updateJitter(uint32_t arrival, uint32_t rtpTimestamp) {
  const uint32_t transit = arrival - rtpTimestamp;
  if (!haveTransit_) {
    haveTransit_ = true;
    transit_ = transit;
    return;
  }
  // Both differences wrap; the signed difference of transits is what matters.
  const int32_t d = static_cast<int32_t>(transit - transit_);
  transit_ = transit;
  const uint32_t magnitude = d < 0 ? 0U - static_cast<uint32_t>(d) : static_cast<uint32_t>(d);
  jitterScaled_ += magnitude - ((jitterScaled_ + 8) >> 4);
}

bool RtpReceiveStats::update(uint16_t sequence, uint32_t arrival, uint32_t rtpTimestamp) {
  if (!updateSequence(sequence)) return false;
  updateJitter(arrival, rtpTimestamp);
  return true;
}

uint32_t RtpReceiveStats::expected() const {
  if (!valid_) return 0;
  return extendedHighestSequence() - baseSeq_ + 1;
}

int64_t RtpReceiveStats::cumulativeLost() const {
  return static_cast<int64_t>(expected()) - static_cast<int64_t>(received_);
}

// RFC 3550 A.3.
uint8_t RtpReceiveStats::takeFractionLost() {
  const uint32_t expectedNow = expected();
  const uint32_t expectedInterval = expectedNow - expectedPrior_;
  expectedPrior_ = expectedNow;
  const uint32_t receivedInterval = received_ - receivedPrior_;
  receivedPrior_ = received_;
  const int64_t lostInterval =
      static_cast<int64_t>(expectedInterval) - static_cast<int64_t>(receivedInterval);
  if (expectedInterval == 0 || lostInterval <= 0) return 0;
  return static_cast<uint8_t>(std::min<int64_t>((lostInterval << 8) / expectedInterval, 255));
}

void RtpReceiveStats::fillReportBlock(ReportBlockData& block, uint32_t lastSr,
                                      uint32_t delaySinceLastSr) {
  block.ssrc = ssrc_;
  block.fractionLost = takeFractionLost();
  // RFC 3550 §6.4.1: clamp to the signed 24-bit field.
  block.cumulativeLost =
      static_cast<int32_t>(std::clamp<int64_t>(cumulativeLost(), -0x800000, 0x7fffff));
  block.extendedHighestSequence = extendedHighestSequence();
  block.jitter = jitter();
  block.lastSr = lastSr;
  block.delaySinceLastSr = delaySinceLastSr;
}

}  // namespace callgate::media::rtp
