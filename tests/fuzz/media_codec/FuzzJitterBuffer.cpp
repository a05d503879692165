// Fuzzes the jitter buffer with a script of pushes and pops and checks its
// invariants after every step: a played payload is exactly the one stored
// under that sequence number, nothing is larger than what was pushed, the
// buffer never holds more than its capacity, and every pushed packet is
// accounted for exactly once in the counters.
//
// Script: byte 0 picks the configuration; then ops.
//   op < 0xC0: push. marker = op & 1; if op & 2 an absolute seq (2 bytes)
//              follows, else a signed 1-byte seq step; then a signed 2-byte
//              timestamp step (× 16), a 1-byte arrival step (× 500 µs) and a
//              1-byte size (× 6, so sizes above 1500 occur).
//   op >= 0xC0: pop after advancing the clock by 20 ms + ((op & 0x1F) - 16) ms;
//              0xFF resets the buffer instead.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "media/codec/JitterBuffer.h"

namespace {

using callgate::media::codec::JitterBuffer;
using callgate::media::codec::JitterBufferConfig;

struct Reader {
  const uint8_t* data;
  size_t size;
  size_t pos = 0;
  bool more() const { return pos < size; }
  uint8_t byte() { return pos < size ? data[pos++] : 0; }
  uint16_t u16() {
    const uint16_t hi = byte();
    return static_cast<uint16_t>((hi << 8) | byte());
  }
};

void check(bool ok) {
  if (!ok) std::abort();
}

struct Stored {
  uint16_t size = 0;
  uint8_t fill = 0;
  bool valid = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in{data, size};
  const uint8_t cfg = in.byte();
  JitterBufferConfig config;
  config.clockRate = (cfg & 1) ? 48000 : 8000;
  config.capacity = (cfg & 2) ? 16 : 64;
  config.maxDelayMs = (cfg & 4) ? 100 : 200;
  config.resyncThreshold = 1 + ((cfg >> 3) & 3);
  config.jitterFactor = (cfg & 0x20) ? 2.0 : 3.0;
  JitterBuffer jb(config);

  // Reused across runs: the harness itself should not dominate the profile.
  static std::vector<uint8_t> payload(1600);
  static std::array<Stored, 65536> stored;
  stored.fill({});

  uint16_t seq = 0;
  uint32_t ts = 0;
  int64_t clock = 0;
  uint32_t pushes = 0;
  size_t maxPushed = 0;

  while (in.more()) {
    const uint8_t op = in.byte();
    if (op < 0xC0) {
      const bool marker = (op & 1) != 0;
      if (op & 2) {
        seq = in.u16();
      } else {
        seq = static_cast<uint16_t>(seq + static_cast<int8_t>(in.byte()));
      }
      ts += static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(in.u16())) * 16);
      clock += int64_t{in.byte()} * 500;
      const size_t n = size_t{in.byte()} * 6;
      const auto fill = static_cast<uint8_t>(++pushes);
      std::fill(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n), fill);
      const auto result =
          jb.push(seq, ts, std::span<const uint8_t>(payload.data(), n), clock, marker);
      if (result == JitterBuffer::PushResult::Stored ||
          result == JitterBuffer::PushResult::Resync) {
        stored[seq] = {static_cast<uint16_t>(n), fill, true};
        maxPushed = std::max(maxPushed, n);
      }
      check(result != JitterBuffer::PushResult::TooLarge || n > config.maxPayload);
    } else if (op == 0xFF) {
      jb.reset();
    } else {
      clock += 20'000 + (int64_t{op & 0x1F} - 16) * 1000;
      const auto f = jb.pop(clock);
      if (f.kind == JitterBuffer::FrameKind::Packet) {
        const Stored& s = stored[f.seq];
        check(s.valid);
        check(f.payload.size() <= maxPushed && f.payload.size() <= config.maxPayload);
        check(f.payload.size() == s.size);
        for (const uint8_t b : f.payload) check(b == s.fill);
      } else {
        check(f.payload.empty());
      }
    }
    const auto st = jb.stats();
    check(st.buffered <= config.capacity);
    check(st.pushed == st.stored + st.duplicates + st.late + st.overflows + st.tooLarge);
    check(st.stored == st.played + st.dropped + st.flushed + st.buffered);
    check(st.underruns <= st.concealed);
    check(st.targetDelayMs >= config.minDelayMs && st.targetDelayMs <= config.maxDelayMs);
    check(st.currentDelayMs >= 0);
  }
  return 0;
}
