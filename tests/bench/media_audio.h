#pragma once
// Payloads and measurements for the media load generator: real codec frames
// made once and replayed, a tone-onset detector for paths where the gateway
// decodes and re-encodes (so no marker survives in the payload), and a
// latency histogram.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace callgate::bench {

// A cycle of 20 ms frames replayed in order. The tone cycles start a 1 kHz
// tone at sample 0 of frame 0, hold it for kToneFrames and are silent for the
// rest: the onset of each cycle can be found again after any codec.
inline constexpr size_t kCycleFrames = 25;  // 500 ms
inline constexpr size_t kToneFrames = 5;    // 100 ms
struct FrameCycle {
  std::vector<std::vector<uint8_t>> frames;
};

// Opus at 48 kHz mono (what a browser sends), 32 kbit/s, complexity 5.
// `toneCycle`: the tone/silence cycle; otherwise a continuous tone with noise
// (busy frames for relayed calls, ~80 bytes each). Empty on a libopus error.
FrameCycle makeOpusCycle(bool toneCycle, std::string* error);
// G.711 µ-law tone/silence cycle (160 bytes a frame).
FrameCycle makePcmuCycle();

// Algorithmic delay, in 8 kHz samples, that the codecs alone put between a
// tone onset sent and the onset decoded, measured by running them locally:
// our 48 kHz Opus cycle decoded at 8 kHz (the gateway's Opus decoder), and
// 8 kHz PCM encoded to Opus at 8 kHz and decoded again (the gateway's Opus
// encoder and our decoder). -1 when not found.
int opusDecodeDelaySamples(const FrameCycle& opusCycle);
int opusEncodeDecodeDelaySamples();

// Finds tone onsets in decoded 8 kHz audio: the first sample above the
// threshold after at least 80 ms below it.
class OnsetDetector {
 public:
  // Index in `pcm` of an onset, if one is in it.
  std::optional<size_t> feed(std::span<const int16_t> pcm);
  void reset() { quiet_ = 0; }

 private:
  static constexpr int kThreshold = 1500;
  static constexpr size_t kQuietSamples = 640;
  size_t quiet_ = 0;
};

// One-way delays with 1 µs buckets up to 500 ms.
class LatencyHistogram {
 public:
  LatencyHistogram() : buckets_(kBuckets + 1, 0) {}
  void add(int64_t nanoseconds);
  void clear();
  void merge(const LatencyHistogram& other);
  uint64_t count() const { return count_; }
  // Microseconds at the given quantile (0..1); 0 when empty.
  double quantileUs(double q) const;
  double maxUs() const { return static_cast<double>(maxNs_) / 1000.0; }

 private:
  static constexpr size_t kBuckets = 500000;
  std::vector<uint32_t> buckets_;
  uint64_t count_ = 0;
  int64_t maxNs_ = 0;
};

}  // namespace callgate::bench
