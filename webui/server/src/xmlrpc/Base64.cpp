#include "xmlrpc/Base64.h"

#include <array>
#include <cstdint>

#include "xmlrpc/XmlText.h"

namespace callgate::mgmt::xmlrpc {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> makeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = makeDecodeTable();

}  // namespace

std::string encodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                       (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                       uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += kAlphabet[(n >> 18) & 0x3F];
    out += kAlphabet[(n >> 12) & 0x3F];
    out += kAlphabet[(n >> 6) & 0x3F];
    out += kAlphabet[n & 0x3F];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) n |= uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kAlphabet[(n >> 18) & 0x3F];
    out += kAlphabet[(n >> 12) & 0x3F];
    out += rest == 2 ? kAlphabet[(n >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> decodeBase64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t quantum = 0;
  size_t inQuantum = 0;  // sextets collected for the current 4-character group
  size_t padding = 0;
  for (char c : text) {
    if (isXmlSpace(c)) continue;
    if (c == '=') {
      // Only at the end of the last group, and at most two.
      if (inQuantum < 2 || ++padding > 4 - inQuantum) return std::nullopt;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    const uint8_t v = kDecode[static_cast<unsigned char>(c)];
    if (v == kInvalid) return std::nullopt;
    quantum = (quantum << 6) | v;
    if (++inQuantum == 4) {
      out += static_cast<char>((quantum >> 16) & 0xFF);
      out += static_cast<char>((quantum >> 8) & 0xFF);
      out += static_cast<char>(quantum & 0xFF);
      quantum = 0;
      inQuantum = 0;
    }
  }
  if (inQuantum == 0)
    return padding == 0 ? std::optional<std::string>(std::move(out)) : std::nullopt;
  // A final group of 2 or 3 characters must be padded to 4.
  if (inQuantum + padding != 4) return std::nullopt;
  if (inQuantum == 2) {
    if ((quantum & 0x0F) != 0) return std::nullopt;  // non-zero pad bits
    out += static_cast<char>((quantum >> 4) & 0xFF);
  } else {
    if ((quantum & 0x03) != 0) return std::nullopt;
    out += static_cast<char>((quantum >> 10) & 0xFF);
    out += static_cast<char>((quantum >> 2) & 0xFF);
  }
  return out;
}

}  // namespace callgate::mgmt::xmlrpc
