#pragma once
// Audio checks shared by the codec and bridge tests: a Goertzel single-bin
// detector (how much of a block's energy sits at one frequency), the RMS
// level, and a sine generator to feed them. Blocks spanning a whole number
// of periods give a clean answer (100 ms holds whole periods of both 440 Hz
// and 1 kHz).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>

namespace callgate::test {

// Fraction (0..1) of the block's energy at `frequency`: 1 for a pure tone
// there, near 0 for a tone elsewhere or for silence.
inline double toneEnergyFraction(std::span<const int16_t> block, double sampleRate,
                                 double frequency) {
  if (block.empty()) return 0.0;
  const double coeff = 2.0 * std::cos(2.0 * std::numbers::pi * frequency / sampleRate);
  double s1 = 0.0;
  double s2 = 0.0;
  double energy = 0.0;
  for (const int16_t sample : block) {
    const double x = sample;
    const double s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += x * x;
  }
  if (energy <= 0.0) return 0.0;
  // |X(f)|² of a sine of amplitude A over N samples is (A·N/2)², and its
  // energy is A²·N/2; their ratio is N/2.
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return power / (energy * static_cast<double>(block.size()) / 2.0);
}

inline double rms(std::span<const int16_t> block) {
  if (block.empty()) return 0.0;
  double energy = 0.0;
  for (const int16_t s : block) energy += static_cast<double>(s) * s;
  return std::sqrt(energy / static_cast<double>(block.size()));
}

// Fills `out` (interleaved, `channels` wide) with a sine that continues from
// sample index `start`.
inline void fillSine(std::span<int16_t> out, int channels, double sampleRate, double frequency,
                     double amplitude, size_t start) {
  const size_t frames = out.size() / static_cast<size_t>(channels);
  for (size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(start + i) / sampleRate;
    const auto v = static_cast<int16_t>(
        std::lround(amplitude * std::sin(2.0 * std::numbers::pi * frequency * t)));
    for (int c = 0; c < channels; ++c)
      out[i * static_cast<size_t>(channels) + static_cast<size_t>(c)] = v;
  }
}

}  // namespace callgate::test
