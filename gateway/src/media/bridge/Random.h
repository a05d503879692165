#pragma once
// A small seeded generator for the bridge's own randomness: initial sequence
// numbers and timestamps (RFC 3550 §5.1 wants them random) and the RTCP
// report interval (§6.2). Seeded per call, so tests are reproducible and no
// call shares another's schedule. Not for anything secret.

#include <cstdint>

namespace callgate::media::bridge {

class Xorshift64 {
 public:
  explicit Xorshift64(uint64_t seed) : state_(seed != 0 ? seed : 0x9E3779B97F4A7C15ULL) {}

  // xorshift64* (Vigna): full period over non-zero states.
  uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  uint32_t next32() { return static_cast<uint32_t>(next() >> 32); }
  // Uniform in [lo, hi).
  int64_t between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo));
  }

 private:
  uint64_t state_;
};

}  // namespace callgate::media::bridge
