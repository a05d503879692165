#pragma once
// Test helper: bytes from readable hex ("80 c8 00 06 ..."), whitespace ignored.

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace callgate::media::test {

inline std::vector<uint8_t> hexBytes(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  int high = -1;
  for (const char c : text) {
    const int n = nibble(c);
    if (n < 0) continue;
    if (high < 0) {
      high = n;
    } else {
      out.push_back(static_cast<uint8_t>(high * 16 + n));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument("odd number of hex digits");
  return out;
}

}  // namespace callgate::media::test
