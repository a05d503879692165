#pragma once
// PCM frames for the transcoding path. Every packet path works in 20 ms
// frames (the ptime browsers and SIP phones default to), so one fixed-size
// frame holds the largest case, 48 kHz stereo, and never allocates.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace callgate::media::codec {

inline constexpr int kFrameDurationMs = 20;
inline constexpr size_t kFrameSamples8k = 160;
inline constexpr size_t kFrameSamples16k = 320;
inline constexpr size_t kFrameSamples48k = 960;
inline constexpr int kMaxChannels = 2;
inline constexpr size_t kMaxFrameSamples = kFrameSamples48k * kMaxChannels;

// Samples per channel in one 20 ms frame; 0 for a rate that is not a
// positive multiple of 50 Hz or is above 48 kHz.
constexpr size_t frameSamplesFor(int sampleRate) {
  if (sampleRate <= 0 || sampleRate > 48000 || sampleRate % 50 != 0) return 0;
  return static_cast<size_t>(sampleRate / 50);
}

struct AudioFrame {
  std::array<int16_t, kMaxFrameSamples> samples{};  // interleaved when stereo
  size_t count = 0;                                 // samples per channel
  int sampleRate = 8000;
  int channels = 1;

  bool valid() const {
    return (channels == 1 || channels == 2) &&
           count * static_cast<size_t>(channels) <= samples.size();
  }
  std::span<int16_t> interleaved() {
    return {samples.data(), valid() ? count * static_cast<size_t>(channels) : 0};
  }
  std::span<const int16_t> interleaved() const {
    return {samples.data(), valid() ? count * static_cast<size_t>(channels) : 0};
  }
};

// Stereo → mono in place: each output sample is the mean of L and R, so a
// full-scale signal on both channels stays full scale and never wraps.
// Returns the number of mono samples (frames), i.e. interleaved.size() / 2.
inline size_t downmixStereoToMono(std::span<int16_t> interleaved) {
  const size_t frames = interleaved.size() / 2;
  for (size_t i = 0; i < frames; ++i) {
    const int32_t sum = int32_t{interleaved[2 * i]} + int32_t{interleaved[2 * i + 1]};
    interleaved[i] = static_cast<int16_t>(sum / 2);
  }
  return frames;
}

// Mono → stereo in place: the first monoCount samples of `buffer` become
// 2 × monoCount interleaved samples. Walks backwards so no input sample is
// overwritten before it is read. Returns false if the buffer is too small.
inline bool upmixMonoToStereo(std::span<int16_t> buffer, size_t monoCount) {
  if (monoCount > buffer.size() / 2) return false;
  for (size_t i = monoCount; i-- > 0;) {
    const int16_t s = buffer[i];
    buffer[2 * i] = s;
    buffer[2 * i + 1] = s;
  }
  return true;
}

inline bool downmixToMono(AudioFrame& frame) {
  if (!frame.valid() || frame.channels != 2) return false;
  downmixStereoToMono(frame.interleaved());
  frame.channels = 1;
  return true;
}

inline bool upmixToStereo(AudioFrame& frame) {
  if (!frame.valid() || frame.channels != 1) return false;
  if (!upmixMonoToStereo(frame.samples, frame.count)) return false;
  frame.channels = 2;
  return true;
}

}  // namespace callgate::media::codec
