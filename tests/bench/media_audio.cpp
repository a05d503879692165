#include "media_audio.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "media/codec/G711.h"
#include "media/codec/OpusCodec.h"

namespace callgate::bench {

namespace codec = media::codec;
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kToneHz = 1000.0;
constexpr double kToneAmplitude = 8000.0;  // about -12 dBFS

// One cycle of the tone/silence pattern at `rate`.
std::vector<int16_t> toneCyclePcm(int rate) {
  const size_t frame = static_cast<size_t>(rate / 50);
  std::vector<int16_t> pcm(frame * kCycleFrames, 0);
  for (size_t i = 0; i < frame * kToneFrames; ++i) {
    pcm[i] = static_cast<int16_t>(
        std::lround(kToneAmplitude * std::sin(2 * kPi * kToneHz * static_cast<double>(i) / rate)));
  }
  return pcm;
}

// A 440 Hz tone with noise on it, so every Opus frame carries real bits.
std::vector<int16_t> busyPcm(int rate, size_t frames) {
  const size_t frame = static_cast<size_t>(rate / 50);
  std::vector<int16_t> pcm(frame * frames);
  uint32_t lcg = 12345;
  for (size_t i = 0; i < pcm.size(); ++i) {
    lcg = lcg * 1664525u + 1013904223u;
    const double noise = (static_cast<double>(lcg >> 16) / 65536.0 - 0.5) * 3000.0;
    const double tone = 6000.0 * std::sin(2 * kPi * 440.0 * static_cast<double>(i) / rate);
    pcm[i] = static_cast<int16_t>(std::lround(tone + noise));
  }
  return pcm;
}

// Encodes `pcm` frame by frame; the last `keep` frames are returned (the
// earlier ones let the encoder settle).
bool encodeOpus(codec::OpusEncoder& encoder, const std::vector<int16_t>& pcm, size_t keep,
                FrameCycle& out) {
  const size_t frame = encoder.frameSamples();
  const size_t frames = pcm.size() / frame;
  std::vector<uint8_t> packet(1500);
  for (size_t f = 0; f < frames; ++f) {
    const int n = encoder.encode(std::span<const int16_t>(pcm.data() + f * frame, frame), packet);
    if (n <= 0) return false;
    if (f + keep >= frames) out.frames.emplace_back(packet.begin(), packet.begin() + n);
  }
  return true;
}

// Position of the first onset in `pcm`, or -1.
long firstOnset(const std::vector<int16_t>& pcm, size_t from) {
  OnsetDetector detector;
  for (size_t i = from; i + 160 <= pcm.size(); i += 160) {
    if (const auto at = detector.feed(std::span<const int16_t>(pcm.data() + i, 160))) {
      return static_cast<long>(i + *at);
    }
  }
  return -1;
}

}  // namespace

FrameCycle makeOpusCycle(bool toneCycle, std::string* error) {
  FrameCycle out;
  auto encoder = codec::OpusEncoder::create(48000, 1, 5, 32000, error);
  if (!encoder) return out;
  std::vector<int16_t> pcm;
  if (toneCycle) {
    const auto cycle = toneCyclePcm(48000);
    for (int i = 0; i < 3; ++i) pcm.insert(pcm.end(), cycle.begin(), cycle.end());
  } else {
    pcm = busyPcm(48000, 3 * kCycleFrames);
  }
  if (!encodeOpus(*encoder, pcm, kCycleFrames, out)) {
    if (error) *error = "libopus could not encode the cycle";
    out.frames.clear();
  }
  return out;
}

FrameCycle makePcmuCycle() {
  FrameCycle out;
  const auto pcm = toneCyclePcm(8000);
  for (size_t f = 0; f < kCycleFrames; ++f) {
    std::vector<uint8_t> frame(160);
    codec::ulawEncode(std::span<const int16_t>(pcm.data() + f * 160, 160), frame);
    out.frames.push_back(std::move(frame));
  }
  return out;
}

int opusDecodeDelaySamples(const FrameCycle& opusCycle) {
  auto decoder = codec::OpusDecoder::create(8000, 1);
  if (!decoder || opusCycle.frames.empty()) return -1;
  std::vector<int16_t> pcm;
  std::vector<int16_t> frame(960);
  for (int c = 0; c < 3; ++c) {
    for (const auto& packet : opusCycle.frames) {
      const int n = decoder->decode(packet, frame);
      if (n <= 0) return -1;
      pcm.insert(pcm.end(), frame.begin(), frame.begin() + n);
    }
  }
  // The third cycle: the decoder has run through two already.
  const size_t cycleStart = 2 * kCycleFrames * 160;
  const long onset = firstOnset(pcm, cycleStart - 800);
  return onset < 0 ? -1 : static_cast<int>(onset - static_cast<long>(cycleStart));
}

int opusEncodeDecodeDelaySamples() {
  auto encoder = codec::OpusEncoder::create(8000, 1, 5, 32000, nullptr);
  auto decoder = codec::OpusDecoder::create(8000, 1);
  if (!encoder || !decoder) return -1;
  const auto cycle = toneCyclePcm(8000);
  std::vector<int16_t> pcm;
  std::vector<uint8_t> packet(1500);
  std::vector<int16_t> frame(960);
  for (int c = 0; c < 3; ++c) {
    for (size_t f = 0; f < kCycleFrames; ++f) {
      const int n = encoder->encode(std::span<const int16_t>(cycle.data() + f * 160, 160), packet);
      if (n <= 0) return -1;
      const int m = decoder->decode(std::span<const uint8_t>(packet.data(), n), frame);
      if (m <= 0) return -1;
      pcm.insert(pcm.end(), frame.begin(), frame.begin() + m);
    }
  }
  const size_t cycleStart = 2 * kCycleFrames * 160;
  const long onset = firstOnset(pcm, cycleStart - 800);
  return onset < 0 ? -1 : static_cast<int>(onset - static_cast<long>(cycleStart));
}

std::optional<size_t> OnsetDetector::feed(std::span<const int16_t> pcm) {
  std::optional<size_t> found;
  for (size_t i = 0; i < pcm.size(); ++i) {
    if (std::abs(static_cast<int>(pcm[i])) > kThreshold) {
      if (quiet_ >= kQuietSamples && !found) found = i;
      quiet_ = 0;
    } else {
      ++quiet_;
    }
  }
  return found;
}

void LatencyHistogram::add(int64_t nanoseconds) {
  if (nanoseconds < 0) nanoseconds = 0;
  const auto us = static_cast<size_t>(nanoseconds / 1000);
  ++buckets_[std::min(us, kBuckets)];
  ++count_;
  maxNs_ = std::max(maxNs_, nanoseconds);
}

void LatencyHistogram::clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  maxNs_ = 0;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  maxNs_ = std::max(maxNs_, other.maxNs_);
}

double LatencyHistogram::quantileUs(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<uint64_t>(q * static_cast<double>(count_ - 1));
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen > rank) return static_cast<double>(i) + 0.5;
  }
  return static_cast<double>(kBuckets);
}

}  // namespace callgate::bench
