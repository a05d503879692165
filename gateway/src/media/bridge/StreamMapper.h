#pragma once
// Sequence number and timestamp mapping for one direction of the
// passthrough path. Within one source stream every packet keeps its place:
// out = in + offset for both sequence number and timestamp, so losses and
// reordering reach the far end as they happened. The offsets are recomputed
// only when they must be:
//  - full rebase (new source stream, change of path or clock): the next
//    packet takes the output stream's next sequence number and continues its
//    timeline by the elapsed wall time, with the marker bit set;
//  - sequence rebase (we withheld or dropped packets, or another producer
//    wrote to the output stream): the next packet takes the next sequence
//    number, the timestamp offset stays so the timeline stays in step.
// Packets older than a rebase point would collide with numbers already
// used, so they are dropped.

#include <cstdint>
#include <optional>

#include "media/bridge/OutputStream.h"

namespace callgate::media::bridge {

// Decides when an incoming stream is a new source: another SSRC, a forward
// sequence jump of more than kMaxJump, or a step back beyond the reorder
// window (RFC 3550 A.1 treats such jumps as a restart).
class SourceTracker {
 public:
  static constexpr int kMaxJump = 1000;
  static constexpr int kReorderWindow = 100;  // RFC 3550 A.1 MAX_MISORDER

  // True when this packet starts a new source stream (the first one too).
  bool observe(uint32_t ssrc, uint16_t sequence);
  void reset() { have_ = false; }

 private:
  bool have_ = false;
  uint32_t ssrc_ = 0;
  uint16_t highest_ = 0;
};

class StreamMapper {
 public:
  struct Mapped {
    uint16_t sequence;
    uint32_t timestamp;
    bool marker;
  };

  void requireRebase() { rebase_ = Rebase::Full; }
  // `marker`: the next packet starts a talk spurt for the far end (after hold).
  void requireSequenceRebase(bool marker);

  // Output numbering for one packet, or nullopt to drop it (older than the
  // rebase point). `outClock` is the output stream's RTP clock.
  std::optional<Mapped> map(uint16_t sequence, uint32_t timestamp, bool marker,
                            const OutputStream& out, uint32_t outClock, int64_t nowUs);
  // After the mapped packet went out: remember where the output stream
  // stands, to notice another producer writing to it.
  void sent(const OutputStream& out) { ownedHighest_ = out.highestSequence(); }

 private:
  enum class Rebase : uint8_t { None, Sequence, Full };

  Rebase rebase_ = Rebase::Full;
  bool markNext_ = false;
  uint16_t sequenceOffset_ = 0;
  uint32_t timestampOffset_ = 0;
  bool baseValid_ = false;  // packets before baseSequence_ are dropped
  uint16_t baseSequence_ = 0;
  uint16_t ownedHighest_ = 0;
};

}  // namespace callgate::media::bridge
