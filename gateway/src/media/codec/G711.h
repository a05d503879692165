#pragma once
// ITU-T G.711 companding (PCMU = µ-law, PCMA = A-law), written from the
// segment description in G.711 §2–3: the magnitude is split into 8
// segments whose step doubles from one to the next, and a code word is
// sign | 3-bit segment | 4-bit position in the segment.
//
// Linear samples are 16-bit; µ-law works on the top 14 bits and A-law on the
// top 13, so the low bits only choose the rounding. Negative inputs use the
// one's complement magnitude (-x - 1), as the ITU-T G.191 reference does,
// which keeps -32768 in range without a special case. Decoding returns the
// middle of the quantisation interval, through 256-entry tables built at
// compile time.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace callgate::media::codec {

namespace g711detail {

// µ-law adds a bias of 33 (14-bit scale; 132 at 16-bit scale) so that every
// segment boundary is a power of two, and clips the magnitude at 8158 (14-bit).
inline constexpr int kUlawBias = 132;
inline constexpr int kUlawClip = 32635;

constexpr int16_t ulawCodeToLinear(uint8_t code) {
  const int v = static_cast<uint8_t>(~code);  // code words are sent inverted
  const int segment = (v >> 4) & 0x07;
  const int mantissa = v & 0x0F;
  const int magnitude = (((mantissa << 3) + kUlawBias) << segment) - kUlawBias;
  return static_cast<int16_t>((v & 0x80) ? -magnitude : magnitude);
}

constexpr int16_t alawCodeToLinear(uint8_t code) {
  const int v = code ^ 0x55;  // even bits are inverted on the line (G.711 §3)
  const int segment = (v >> 4) & 0x07;
  const int mantissa = v & 0x0F;
  // Segments 0 and 1 share a step of 16 (16-bit scale); then it doubles.
  const int magnitude = segment == 0 ? (mantissa << 4) + 8
                                     : ((mantissa + 16) << (segment + 3)) + (1 << (segment + 2));
  return static_cast<int16_t>((v & 0x80) ? magnitude : -magnitude);
}

template <int16_t (*Decode)(uint8_t)>
constexpr std::array<int16_t, 256> makeDecodeTable() {
  std::array<int16_t, 256> table{};
  for (int code = 0; code < 256; ++code) table[code] = Decode(static_cast<uint8_t>(code));
  return table;
}

}  // namespace g711detail

inline constexpr std::array<int16_t, 256> kUlawDecodeTable =
    g711detail::makeDecodeTable<g711detail::ulawCodeToLinear>();
inline constexpr std::array<int16_t, 256> kAlawDecodeTable =
    g711detail::makeDecodeTable<g711detail::alawCodeToLinear>();

constexpr uint8_t linearToUlaw(int16_t sample) {
  const bool negative = sample < 0;
  int magnitude = negative ? -(sample + 1) : sample;
  if (magnitude > g711detail::kUlawClip) magnitude = g711detail::kUlawClip;
  const auto biased = static_cast<unsigned>(magnitude + g711detail::kUlawBias);  // 132..32767
  const int segment = static_cast<int>(std::bit_width(biased)) - 8;              // 0..7
  const int mantissa = static_cast<int>(biased >> (segment + 3)) & 0x0F;
  const int word = (negative ? 0x80 : 0x00) | (segment << 4) | mantissa;
  return static_cast<uint8_t>(~word);
}

constexpr uint8_t linearToAlaw(int16_t sample) {
  const bool negative = sample < 0;
  const auto magnitude = static_cast<unsigned>(negative ? -(sample + 1) : sample);  // 0..32767
  int segment = 0;
  int mantissa = 0;
  if (magnitude < 256) {
    mantissa = static_cast<int>(magnitude >> 4);
  } else {
    segment = static_cast<int>(std::bit_width(magnitude)) - 8;  // 1..7
    mantissa = static_cast<int>(magnitude >> (segment + 3)) & 0x0F;
  }
  const int word = (negative ? 0x00 : 0x80) | (segment << 4) | mantissa;
  return static_cast<uint8_t>(word ^ 0x55);
}

constexpr int16_t ulawToLinear(uint8_t code) {
  return kUlawDecodeTable[code];
}
constexpr int16_t alawToLinear(uint8_t code) {
  return kAlawDecodeTable[code];
}

// Block conversions convert min(in.size(), out.size()) samples and return
// that count; a caller that sized `out` wrongly sees a short count, never an
// overrun.
size_t ulawEncode(std::span<const int16_t> in, std::span<uint8_t> out);
size_t ulawDecode(std::span<const uint8_t> in, std::span<int16_t> out);
size_t alawEncode(std::span<const int16_t> in, std::span<uint8_t> out);
size_t alawDecode(std::span<const uint8_t> in, std::span<int16_t> out);

}  // namespace callgate::media::codec
