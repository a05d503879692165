#include "media/bridge/StreamMapper.h"

namespace callgate::media::bridge {

bool SourceTracker::observe(uint32_t ssrc, uint16_t sequence) {
  if (!have_ || ssrc != ssrc_) {
    have_ = true;
    ssrc_ = ssrc;
    highest_ = sequence;
    return true;
  }
  const int delta = static_cast<int16_t>(sequence - highest_);
  if (delta > kMaxJump || delta < -kReorderWindow) {
    highest_ = sequence;
    return true;
  }
  if (delta > 0) highest_ = sequence;
  return false;
}

void StreamMapper::requireSequenceRebase(bool marker) {
  if (rebase_ == Rebase::None) rebase_ = Rebase::Sequence;
  markNext_ = markNext_ || marker;
}

std::optional<StreamMapper::Mapped> StreamMapper::map(uint16_t sequence, uint32_t timestamp,
                                                      bool marker, const OutputStream& out,
                                                      uint32_t outClock, int64_t nowUs) {
  if (rebase_ == Rebase::None && out.started() && out.highestSequence() != ownedHighest_) {
    rebase_ = Rebase::Sequence;  // generated DTMF went out in between
  }
  if (rebase_ == Rebase::None && baseValid_) {
    const int sinceBase = static_cast<int16_t>(sequence - baseSequence_);
    if (sinceBase < 0 && sinceBase >= -SourceTracker::kReorderWindow) return std::nullopt;
    // Far enough ahead that the wrap could make old look new: forget it.
    if (sinceBase > SourceTracker::kReorderWindow) baseValid_ = false;
  }
  if (rebase_ != Rebase::None) {
    sequenceOffset_ = static_cast<uint16_t>(out.nextSequence() - sequence);
    if (rebase_ == Rebase::Full) {
      timestampOffset_ = out.continuationTimestamp(nowUs, outClock) - timestamp;
      markNext_ = true;
    }
    baseSequence_ = sequence;
    baseValid_ = true;
    rebase_ = Rebase::None;
  }
  Mapped m{static_cast<uint16_t>(sequence + sequenceOffset_), timestamp + timestampOffset_,
           marker || markNext_};
  markNext_ = false;
  return m;
}

}  // namespace callgate::media::bridge
