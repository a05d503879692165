#include "media/codec/G711.h"

#include <algorithm>

namespace callgate::media::codec {

size_t ulawEncode(std::span<const int16_t> in, std::span<uint8_t> out) {
  const size_t n = std::min(in.size(), out.size());
  for (size_t i = 0; i < n; ++i) out[i] = linearToUlaw(in[i]);
  return n;
}

size_t ulawDecode(std::span<const uint8_t> in, std::span<int16_t> out) {
  const size_t n = std::min(in.size(), out.size());
  for (size_t i = 0; i < n; ++i) out[i] = kUlawDecodeTable[in[i]];
  return n;
}

size_t alawEncode(std::span<const int16_t> in, std::span<uint8_t> out) {
  const size_t n = std::min(in.size(), out.size());
  for (size_t i = 0; i < n; ++i) out[i] = linearToAlaw(in[i]);
  return n;
}

size_t alawDecode(std::span<const uint8_t> in, std::span<int16_t> out) {
  const size_t n = std::min(in.size(), out.size());
  for (size_t i = 0; i < n; ++i) out[i] = kAlawDecodeTable[in[i]];
  return n;
}

}  // namespace callgate::media::codec
