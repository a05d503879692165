#pragma once
// Adaptive jitter buffer for the transcoding path (the passthrough path
// forwards packets as they come and leaves de-jittering to the far end).
// Each packet is taken to carry one 20 ms frame, the ptime of both legs.
//
// push() stores an RTP payload by sequence number; pop() is called once per
// 20 ms tick and hands back exactly one frame: the next packet, a Missing
// frame to conceal, or NotYet when nothing is due (before playout starts
// and in silence). All storage (capacity × maxPayload bytes) is allocated by
// the constructor; push, pop and stats never allocate, lock or throw.
//
// Playout delay: the RFC 3550 §6.4.1 interarrival jitter J (arrival time vs
// RTP timestamp, smoothed by 1/16) gives target = clamp(k × J, minDelay,
// maxDelay). The delay in effect is the smoothed time packets wait between
// arrival and playout. It jumps to the target when a talk spurt starts
// (first packet, the marker bit of RFC 3551 §4.1 after silence, or after an
// underrun); within a spurt it moves one frame at a time, at most once per
// few ticks: one frame dropped to shrink, one frame concealed to grow.
//
// Sequence numbers and timestamps are unwrapped to 64 bits, so 65535 → 0
// and 2^32 → 0 are ordinary steps. A packet that falls outside the window
// (too far ahead to store, or too far behind to be a reordering) is
// dropped; resyncThreshold of them in a row mean the sender restarted its
// numbering, and the buffer flushes and starts over from the last one.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace callgate::media::codec {

struct JitterBufferConfig {
  int clockRate = 8000;  // RTP clock of the payload (8000, 16000, 48000 ...)
  size_t capacity = 64;  // slots; each holds one packet of up to maxPayload
  size_t maxPayload = 1500;
  int minDelayMs = 20;
  int maxDelayMs = 200;
  double jitterFactor = 3.0;  // k in target = k × J
  int resyncThreshold = 3;    // consecutive out-of-window packets before a resync
};

class JitterBuffer {
 public:
  enum class PushResult : uint8_t {
    Stored,     // kept for playout
    Duplicate,  // this sequence number is buffered or was already played
    TooLate,    // its turn has passed (or it lies far behind the window)
    Overflow,   // it does not fit: too far ahead of the playout point
    Resync,     // out-of-window run reached the threshold: flushed, kept as the new start
    TooLarge,   // payload larger than maxPayload
  };

  enum class FrameKind : uint8_t {
    Packet,   // play `payload`
    Missing,  // conceal one frame (packet lost, late, or the delay grows)
    NotYet,   // nothing due: not started, or silence
  };

  // A view into the buffer: `payload` stays valid until the next push, pop
  // or reset. For Missing, seq/timestamp are those expected next.
  struct Frame {
    FrameKind kind = FrameKind::NotYet;
    uint16_t seq = 0;
    uint32_t timestamp = 0;
    bool marker = false;
    std::span<const uint8_t> payload;
  };

  struct Stats {
    uint64_t pushed = 0;  // every push() call
    uint64_t stored = 0;  // Stored + Resync
    uint64_t duplicates = 0;
    uint64_t late = 0;       // TooLate
    uint64_t overflows = 0;  // Overflow
    uint64_t tooLarge = 0;
    uint64_t resyncs = 0;
    uint64_t played = 0;     // Packet frames
    uint64_t lost = 0;       // sequence numbers playout passed without a packet
    uint64_t dropped = 0;    // stored packets skipped to shrink the delay
    uint64_t flushed = 0;    // stored packets discarded by a resync or reset
    uint64_t concealed = 0;  // Missing frames
    uint64_t underruns = 0;  // Missing frames because the buffer was empty
    size_t buffered = 0;
    int currentDelayMs = 0;
    int targetDelayMs = 0;
    int jitterMs = 0;
  };

  // Throws std::invalid_argument for an unusable configuration (control plane).
  explicit JitterBuffer(const JitterBufferConfig& config = {});

  PushResult push(uint16_t seq, uint32_t rtpTimestamp, std::span<const uint8_t> payload,
                  int64_t arrivalMicros, bool marker);
  Frame pop(int64_t nowMicros);

  // Forgets every packet and the stream's numbering (new SSRC); counters stay.
  void reset();

  Stats stats() const;
  int targetDelayMs() const { return static_cast<int>(targetDelayUs() / 1000); }
  int currentDelayMs() const { return static_cast<int>(delayUs_ / 1000); }
  size_t buffered() const { return bufferedCount_; }
  const JitterBufferConfig& config() const { return config_; }

 private:
  struct Slot {
    int64_t seq = 0;  // unwrapped
    int64_t ts = 0;   // unwrapped
    int64_t arrival = 0;
    uint16_t size = 0;
    bool used = false;
    bool marker = false;
  };

  size_t indexOf(int64_t seq) const;
  Slot* slotAt(int64_t seq);
  Slot* lowestBuffered();
  PushResult store(int64_t seq, int64_t ts, std::span<const uint8_t> payload, int64_t arrival,
                   bool marker);
  PushResult outOfWindow(uint16_t seq, uint32_t ts, std::span<const uint8_t> payload,
                         int64_t arrival, bool marker, bool ahead);
  void flush();
  void updateJitter(int64_t ts, int64_t arrival);
  int64_t targetDelayUs() const;
  void advanceCursor(int64_t count, bool lastReceived);
  bool playTick(int64_t now, Frame& out);
  Frame startSpurt(int64_t now);
  Frame emit(Slot& slot, int64_t now);
  Frame missing();

  // passed in
  const JitterBufferConfig config_;
  const int64_t frameTs_;     // RTP ticks per 20 ms
  const int64_t maxDelayTs_;  // maxDelay in RTP ticks

  // owned: allocated once here, never resized
  std::vector<Slot> slots_;
  std::vector<uint8_t> storage_;

  // numbering
  bool started_ = false;
  int64_t highestSeq_ = 0;  // unwrap reference for sequence numbers
  int64_t lastTs_ = 0;      // unwrap reference for timestamps
  int outOfWindowRun_ = 0;
  size_t bufferedCount_ = 0;

  // jitter (RFC 3550 §6.4.1, A.8): jitter16_ is J × 16 in microseconds
  bool haveTransit_ = false;
  int64_t lastArrival_ = 0;
  int64_t lastTransitTs_ = 0;
  int64_t jitter16_ = 0;

  // playout
  bool hasCursor_ = false;     // nextSeq_ is meaningful
  int64_t nextSeq_ = 0;        // next sequence number to play
  int64_t cursorTs_ = 0;       // the timestamp nextSeq_ should carry
  uint64_t receivedMask_ = 0;  // bit i: nextSeq_ - 1 - i was received
  bool playing_ = false;
  int64_t playTs_ = 0;   // timestamp this tick plays
  int64_t delayUs_ = 0;  // smoothed arrival-to-playout wait
  int underrunTicks_ = 0;
  int ticksSinceAdjust_ = 0;

  Stats stats_;
};

}  // namespace callgate::media::codec
