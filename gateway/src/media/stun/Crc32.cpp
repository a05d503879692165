#include "media/stun/Crc32.h"

#include <array>

namespace callgate::media::stun {

namespace {

constexpr std::array<uint32_t, 256> makeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

constexpr auto kTable = makeTable();

}  // namespace

uint32_t crc32(std::span<const uint8_t> data) {
  uint32_t c = 0xFFFFFFFFU;
  for (const uint8_t byte : data) c = kTable[(c ^ byte) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

}  // namespace callgate::media::stun
