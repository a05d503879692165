#include "sip/msg/TextUtil.h"

#include "sip/msg/HeaderTypes.h"

namespace callgate::sip {

std::string_view Scanner::token() {
  skipSpace();
  const size_t start = pos_;
  while (pos_ < text_.size() && isTokenChar(text_[pos_])) ++pos_;
  return text_.substr(start, pos_ - start);
}

bool validParams(std::string_view params) {
  // Every ';'-separated item needs a name (RFC 3261 §25.1 generic-param):
  // "a;;b" or a trailing ';' is malformed (RFC 4475 §3.1.2.1).
  bool quoted = false;
  bool sawName = false;
  for (char c : params) {
    if (c == '"') quoted = !quoted;
    if (quoted) {
      sawName = true;
      continue;
    }
    if (c == ';') {
      if (!sawName) return false;
      sawName = false;
    } else if (!isSpace(c)) {
      sawName = true;
    }
  }
  if (!params.empty() && !sawName) return false;
  bool ok = true;
  forEachParam(params, [&](std::string_view name, std::optional<std::string_view> value) {
    if (!isToken(name)) ok = false;
    if (!value) return;
    const auto v = *value;
    if (v.empty()) {
      ok = false;
      return;
    }
    if (v.front() == '"') {
      if (v.size() < 2 || v.back() != '"') ok = false;
      return;
    }
    // token, host (IPv4/hostname) or [IPv6]
    for (char c : v) {
      if (!isTokenChar(c) && c != ':' && c != '[' && c != ']') ok = false;
    }
  });
  return ok;
}

}  // namespace callgate::sip
