#include "media/codec/JitterBuffer.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace callgate::media::codec {

namespace {

constexpr int64_t kFrameUs = 20'000;
// A forward jump up to this many sequence numbers into an empty buffer is a
// loss burst, not a restart (RFC 3550 A.1 MAX_DROPOUT).
constexpr int64_t kMaxDropout = 3000;
// How far behind the playout point a packet still counts as reordered, and
// how many played sequence numbers the duplicate check remembers.
constexpr int64_t kHistory = 64;
// Delay steps inside a talk spurt are at least this many ticks apart.
constexpr int kAdjustTicks = 5;
// Caller clocks are clamped so differences of two can never overflow.
constexpr int64_t kTimeLimit = int64_t{1} << 60;
// One |D| sample larger than this is a clock jump, not jitter.
constexpr int64_t kMaxTransitStepUs = 10'000'000;

int64_t clampTime(int64_t t) {
  return std::clamp(t, -kTimeLimit, kTimeLimit);
}

}  // namespace

JitterBuffer::JitterBuffer(const JitterBufferConfig& config)
    : config_(config),
      frameTs_(config.clockRate / 50),
      maxDelayTs_(int64_t{config.maxDelayMs} * config.clockRate / 1000) {
  if (config.clockRate < 1000 || config.clockRate > 192000 || config.clockRate % 50 != 0) {
    throw std::invalid_argument("jitter buffer: clock rate must be a multiple of 50 Hz");
  }
  if (config.capacity < 4 || config.capacity > 4096) {
    throw std::invalid_argument("jitter buffer: capacity must be 4..4096 slots");
  }
  if (config.maxPayload == 0 || config.maxPayload > 65535) {
    throw std::invalid_argument("jitter buffer: max payload must be 1..65535 bytes");
  }
  if (config.minDelayMs < 0 || config.maxDelayMs < config.minDelayMs ||
      int64_t{config.maxDelayMs} > (static_cast<int64_t>(config.capacity) - 2) * 20) {
    throw std::invalid_argument("jitter buffer: need 0 <= minDelay <= maxDelay < capacity x 20 ms");
  }
  if (!(config.jitterFactor > 0.0 && config.jitterFactor <= 16.0)) {
    throw std::invalid_argument("jitter buffer: jitter factor must be in (0, 16]");
  }
  if (config.resyncThreshold < 1) {
    throw std::invalid_argument("jitter buffer: resync threshold must be at least 1");
  }
  slots_.resize(config.capacity);
  storage_.resize(config.capacity * config.maxPayload);
  delayUs_ = int64_t{config.minDelayMs} * 1000;
}

size_t JitterBuffer::indexOf(int64_t seq) const {
  const auto cap = static_cast<int64_t>(slots_.size());
  return static_cast<size_t>(((seq % cap) + cap) % cap);
}

JitterBuffer::Slot* JitterBuffer::slotAt(int64_t seq) {
  Slot& s = slots_[indexOf(seq)];
  return (s.used && s.seq == seq) ? &s : nullptr;
}

JitterBuffer::Slot* JitterBuffer::lowestBuffered() {
  if (bufferedCount_ == 0) return nullptr;
  Slot* best = nullptr;
  for (Slot& s : slots_) {
    if (s.used && (!best || s.seq < best->seq)) best = &s;
  }
  return best;
}

int64_t JitterBuffer::targetDelayUs() const {
  const double jitterUs = static_cast<double>(jitter16_) / 16.0;
  const auto scaled = static_cast<int64_t>(config_.jitterFactor * jitterUs);
  return std::clamp(scaled, int64_t{config_.minDelayMs} * 1000, int64_t{config_.maxDelayMs} * 1000);
}

// ---- push ------------------------------------------------------------------

JitterBuffer::PushResult JitterBuffer::push(uint16_t seq, uint32_t rtpTimestamp,
                                            std::span<const uint8_t> payload, int64_t arrivalMicros,
                                            bool marker) {
  ++stats_.pushed;
  if (payload.size() > config_.maxPayload) {
    ++stats_.tooLarge;
    return PushResult::TooLarge;
  }
  const int64_t arrival = clampTime(arrivalMicros);
  if (!started_) {
    started_ = true;
    highestSeq_ = seq;
    lastTs_ = rtpTimestamp;
  }
  // Unwrap against the highest sequence number and the latest timestamp: the
  // signed 16/32-bit difference is the step, whichever way it wraps.
  const int64_t ext = highestSeq_ + static_cast<int16_t>(seq - static_cast<uint16_t>(highestSeq_));
  const int64_t extTs =
      lastTs_ + static_cast<int32_t>(rtpTimestamp - static_cast<uint32_t>(lastTs_));

  if (hasCursor_ && ext < nextSeq_) {
    const int64_t behind = nextSeq_ - ext;
    if (behind > kHistory) return outOfWindow(seq, rtpTimestamp, payload, arrival, marker, false);
    outOfWindowRun_ = 0;
    if ((receivedMask_ >> (behind - 1)) & 1U) {
      ++stats_.duplicates;
      return PushResult::Duplicate;
    }
    // Too late to play, but its transit time is exactly what the jitter
    // estimate must see (RFC 3550 §6.4.1 counts every packet received).
    updateJitter(extTs, arrival);
    ++stats_.late;
    return PushResult::TooLate;
  }

  // Everything buffered lies in [low, low + capacity); with a cursor, low is
  // the cursor, before playout starts it is the lowest packet seen.
  const auto cap = static_cast<int64_t>(slots_.size());
  int64_t low = hasCursor_ ? nextSeq_ : ext;
  int64_t high = ext;
  if (bufferedCount_ > 0) {
    for (const Slot& s : slots_) {
      if (!s.used) continue;
      low = std::min(low, s.seq);
      high = std::max(high, s.seq);
    }
  }
  if (high - low >= cap) {
    if (hasCursor_ && bufferedCount_ == 0 && ext - nextSeq_ <= kMaxDropout) {
      // A loss burst longer than the buffer: nothing is waiting, so move the
      // playout point up to the packet; the skipped numbers are lost.
      const int64_t skipped = ext - nextSeq_;
      stats_.lost += static_cast<uint64_t>(skipped);
      advanceCursor(skipped, false);
    } else {
      return outOfWindow(seq, rtpTimestamp, payload, arrival, marker, true);
    }
  }
  if (slotAt(ext)) {
    outOfWindowRun_ = 0;
    ++stats_.duplicates;
    return PushResult::Duplicate;
  }
  return store(ext, extTs, payload, arrival, marker);
}

JitterBuffer::PushResult JitterBuffer::store(int64_t seq, int64_t ts,
                                             std::span<const uint8_t> payload, int64_t arrival,
                                             bool marker) {
  const size_t index = indexOf(seq);
  Slot& s = slots_[index];
  if (s.used) {  // unreachable while the window invariant holds; never overwrite silently
    ++stats_.overflows;
    return PushResult::Overflow;
  }
  if (!payload.empty()) {
    std::memcpy(storage_.data() + index * config_.maxPayload, payload.data(), payload.size());
  }
  s.seq = seq;
  s.ts = ts;
  s.arrival = arrival;
  s.size = static_cast<uint16_t>(payload.size());
  s.marker = marker;
  s.used = true;
  ++bufferedCount_;
  ++stats_.stored;
  outOfWindowRun_ = 0;
  highestSeq_ = std::max(highestSeq_, seq);
  lastTs_ = ts;
  updateJitter(ts, arrival);
  return PushResult::Stored;
}

JitterBuffer::PushResult JitterBuffer::outOfWindow(uint16_t seq, uint32_t ts,
                                                   std::span<const uint8_t> payload,
                                                   int64_t arrival, bool marker, bool ahead) {
  if (++outOfWindowRun_ < config_.resyncThreshold) {
    if (ahead) {
      ++stats_.overflows;
      return PushResult::Overflow;
    }
    ++stats_.late;
    return PushResult::TooLate;
  }
  // The sender restarted its numbering (or we fell hopelessly behind):
  // start over from this packet, keeping the jitter estimate.
  flush();
  hasCursor_ = false;
  playing_ = false;
  receivedMask_ = 0;
  haveTransit_ = false;
  highestSeq_ = seq;
  lastTs_ = ts;
  ++stats_.resyncs;
  store(seq, ts, payload, arrival, marker);
  return PushResult::Resync;
}

void JitterBuffer::flush() {
  for (Slot& s : slots_) {
    if (s.used) {
      s.used = false;
      ++stats_.flushed;
    }
  }
  bufferedCount_ = 0;
}

void JitterBuffer::reset() {
  flush();
  started_ = false;
  outOfWindowRun_ = 0;
  haveTransit_ = false;
  hasCursor_ = false;
  playing_ = false;
  receivedMask_ = 0;
  underrunTicks_ = 0;
}

void JitterBuffer::updateJitter(int64_t ts, int64_t arrival) {
  // RFC 3550 §6.4.1: D = (Rj - Ri) - (Sj - Si) in one unit (µs here), and
  // J += (|D| - J) / 16, kept as J × 16 in integers as in A.8.
  if (haveTransit_) {
    const int64_t tsStepUs = (ts - lastTransitTs_) * 1'000'000 / config_.clockRate;
    int64_t d = (arrival - lastArrival_) - tsStepUs;
    d = std::min(d < 0 ? -d : d, kMaxTransitStepUs);
    jitter16_ += d - ((jitter16_ + 8) >> 4);
  }
  haveTransit_ = true;
  lastArrival_ = arrival;
  lastTransitTs_ = ts;
}

// ---- pop -------------------------------------------------------------------

void JitterBuffer::advanceCursor(int64_t count, bool lastReceived) {
  if (count <= 0) return;
  receivedMask_ = count >= 64 ? 0 : receivedMask_ << count;
  if (lastReceived) receivedMask_ |= 1U;
  nextSeq_ += count;
}

JitterBuffer::Frame JitterBuffer::pop(int64_t nowMicros) {
  const int64_t now = clampTime(nowMicros);
  if (playing_) {
    Frame frame;
    if (playTick(now, frame)) return frame;
  }
  return startSpurt(now);
}

JitterBuffer::Frame JitterBuffer::startSpurt(int64_t now) {
  Slot* head = lowestBuffered();
  if (!head) return {};
  const int64_t waited = now - head->arrival;
  if (waited < targetDelayUs()) return {};
  playing_ = true;
  underrunTicks_ = 0;
  ticksSinceAdjust_ = 0;
  if (!hasCursor_) {
    hasCursor_ = true;
    nextSeq_ = head->seq;
    receivedMask_ = 0;
  }
  delayUs_ = waited;
  return emit(*head, now);
}

JitterBuffer::Frame JitterBuffer::missing() {
  ++stats_.concealed;
  Frame f;
  f.kind = FrameKind::Missing;
  // After underrun ticks the timeline is ahead of the cursor; name the
  // sequence number this tick would have played.
  const int64_t behind = (playTs_ - cursorTs_) / frameTs_;
  f.seq = static_cast<uint16_t>(nextSeq_ + std::clamp<int64_t>(behind, 0, kMaxDropout));
  f.timestamp = static_cast<uint32_t>(playTs_);
  return f;
}

JitterBuffer::Frame JitterBuffer::emit(Slot& slot, int64_t now) {
  const int64_t skipped = slot.seq - nextSeq_;  // >= 0: everything below is gone
  stats_.lost += static_cast<uint64_t>(std::max<int64_t>(skipped, 0));
  advanceCursor(skipped + 1, true);
  playTs_ = slot.ts + frameTs_;
  cursorTs_ = playTs_;
  const int64_t waited = std::max<int64_t>(now - slot.arrival, 0);
  delayUs_ += (waited - delayUs_) / 16;
  underrunTicks_ = 0;
  slot.used = false;
  --bufferedCount_;
  ++stats_.played;
  Frame f;
  f.kind = FrameKind::Packet;
  f.seq = static_cast<uint16_t>(slot.seq);
  f.timestamp = static_cast<uint32_t>(slot.ts);
  f.marker = slot.marker;
  f.payload = {storage_.data() + indexOf(slot.seq) * config_.maxPayload, slot.size};
  return f;
}

// One tick while a talk spurt plays. Returns false when the spurt is over
// (long underrun, new spurt, timestamp jump) so pop() re-runs the start rule.
bool JitterBuffer::playTick(int64_t now, Frame& out) {
  ++ticksSinceAdjust_;
  Slot* head = nullptr;
  if (bufferedCount_ > 0) {
    for (int64_t s = nextSeq_; s < nextSeq_ + static_cast<int64_t>(slots_.size()); ++s) {
      if ((head = slotAt(s))) break;
    }
  }
  const int64_t targetUs = targetDelayUs();
  if (!head) {
    // Underrun: the packet is late or lost, or the sender fell silent. Keep
    // the timeline running and conceal; after about the target delay with
    // nothing, treat it as silence and wait for the next spurt.
    if (++underrunTicks_ > targetUs / kFrameUs + 2) {
      playing_ = false;
      return false;
    }
    ++stats_.underruns;
    out = missing();
    playTs_ += frameTs_;
    return true;
  }

  const int64_t gap = head->seq - nextSeq_;
  const int64_t ahead = head->ts - playTs_;
  if (ahead >= frameTs_) {
    // Not due yet. A marked packet after silence starts a new spurt (RFC 3551
    // §4.1), and so does a timestamp jump larger than any delay explains.
    if ((gap == 0 && head->marker) || ahead > maxDelayTs_ + (gap + 1) * frameTs_) {
      playing_ = false;
      return false;
    }
    if (gap > 0) {
      out = missing();  // the packet before `head` should play now
      ++stats_.lost;
      advanceCursor(1, false);
      cursorTs_ += frameTs_;
    } else {
      out = Frame{};  // silence inside the spurt (DTX without a marker)
    }
    playTs_ += frameTs_;
    return true;
  }

  if (ticksSinceAdjust_ >= kAdjustTicks) {
    if (delayUs_ > targetUs + kFrameUs) {
      Slot* next = slotAt(head->seq + 1);
      if (next && !next->marker && next->ts - head->ts <= frameTs_) {
        // Shrink: skip one frame of a continuous run.
        stats_.lost += static_cast<uint64_t>(gap);
        advanceCursor(gap + 1, true);
        head->used = false;
        --bufferedCount_;
        ++stats_.dropped;
        delayUs_ -= kFrameUs;
        ticksSinceAdjust_ = 0;
        out = emit(*next, now);
        return true;
      }
    } else if (delayUs_ + kFrameUs < targetUs) {
      // Grow: conceal one frame and play `head` on the next tick.
      delayUs_ += kFrameUs;
      ticksSinceAdjust_ = 0;
      out = missing();
      return true;
    }
  }
  out = emit(*head, now);
  return true;
}

JitterBuffer::Stats JitterBuffer::stats() const {
  Stats s = stats_;
  s.buffered = bufferedCount_;
  s.currentDelayMs = currentDelayMs();
  s.targetDelayMs = targetDelayMs();
  s.jitterMs = static_cast<int>(jitter16_ / 16 / 1000);
  return s;
}

}  // namespace callgate::media::codec
