#include "media_ng.h"

#include <cctype>

namespace callgate::bench {
namespace {

void encodeString(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

// Bencode value at `pos`; strings are stored in *value when asked for.
// Returns false on malformed input. Depth is bounded.
bool skipOrRead(std::string_view text, size_t& pos, std::string* value, int depth) {
  if (pos >= text.size() || depth > 16) return false;
  const char c = text[pos];
  if (std::isdigit(static_cast<unsigned char>(c))) {
    size_t length = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      length = length * 10 + static_cast<size_t>(text[pos] - '0');
      if (length > text.size()) return false;
      ++pos;
    }
    if (pos >= text.size() || text[pos] != ':' || text.size() - pos - 1 < length) return false;
    if (value) *value = std::string(text.substr(pos + 1, length));
    pos += 1 + length;
    return true;
  }
  if (c == 'i') {
    const size_t end = text.find('e', pos);
    if (end == std::string_view::npos) return false;
    if (value) *value = std::string(text.substr(pos + 1, end - pos - 1));
    pos = end + 1;
    return true;
  }
  if (c == 'l' || c == 'd') {
    ++pos;
    while (pos < text.size() && text[pos] != 'e') {
      if (!skipOrRead(text, pos, nullptr, depth + 1)) return false;
    }
    if (pos >= text.size()) return false;
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::string bencodeDict(const std::map<std::string, NgValue>& dict) {
  std::string out = "d";
  for (const auto& [key, value] : dict) {
    encodeString(out, key);
    if (const auto* s = std::get_if<std::string>(&value)) {
      encodeString(out, *s);
    } else {
      out += 'l';
      for (const auto& item : std::get<std::vector<std::string>>(value)) encodeString(out, item);
      out += 'e';
    }
  }
  out += 'e';
  return out;
}

std::optional<std::map<std::string, std::string>> bdecodeStrings(std::string_view text) {
  if (text.empty() || text.front() != 'd') return std::nullopt;
  std::map<std::string, std::string> out;
  size_t pos = 1;
  while (pos < text.size() && text[pos] != 'e') {
    std::string key;
    if (!skipOrRead(text, pos, &key, 0)) return std::nullopt;
    if (pos >= text.size()) return std::nullopt;
    const char c = text[pos];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == 'i') {
      std::string value;
      if (!skipOrRead(text, pos, &value, 0)) return std::nullopt;
      out[key] = std::move(value);
    } else if (!skipOrRead(text, pos, nullptr, 0)) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace callgate::bench
