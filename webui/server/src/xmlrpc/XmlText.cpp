#include "xmlrpc/XmlText.h"

namespace callgate::mgmt::xmlrpc {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

bool isContinuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

}  // namespace

std::string_view trimXmlSpace(std::string_view s) {
  while (!s.empty() && isXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool isAllXmlSpace(std::string_view s) {
  for (char c : s) {
    if (!isXmlSpace(c)) return false;
  }
  return true;
}

// RFC 3629 §4: the well-formed byte sequences.
size_t decodeUtf8(std::string_view s, size_t pos, uint32_t& cp) {
  if (pos >= s.size()) return 0;
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t len = 0;
  uint32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - pos < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if (!isContinuation(b)) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

size_t findInvalidXmlText(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    const auto b = static_cast<unsigned char>(s[pos]);
    if (b >= 0x20 && b < 0x80) {  // the common case: printable ASCII
      ++pos;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = decodeUtf8(s, pos, cp);
    if (len == 0 || !isXmlChar(cp)) return pos;
    pos += len;
  }
  return std::string_view::npos;
}

std::string clipText(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t end = max;
  while (end > 0 && isContinuation(static_cast<unsigned char>(s[end]))) --end;
  return std::string(s.substr(0, end));
}

std::string sanitizeXmlText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    uint32_t cp = 0;
    const size_t len = decodeUtf8(s, pos, cp);
    if (len == 0) {
      appendUtf8(out, kReplacement);
      ++pos;
      continue;
    }
    if (isXmlChar(cp)) {
      out.append(s.substr(pos, len));
    } else {
      appendUtf8(out, kReplacement);
    }
    pos += len;
  }
  return out;
}

void appendEscapedText(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':  // keeps "]]>" out of character data (§2.4)
        out += "&gt;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace callgate::mgmt::xmlrpc
