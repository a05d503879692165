#pragma once
// Text helpers shared by the SDP parser, writer and candidate code: ASCII
// classes, trimming, whitespace-separated tokens, overflow-checked numbers.
// No locale, no exceptions, no allocation.

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace callgate::media::sdp::text {

inline bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline char toLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (toLower(a[i]) != toLower(b[i])) return false;
  }
  return true;
}

// A whole unsigned decimal number of type T: no sign, no trailing junk, no
// overflow (std::from_chars reports out-of-range instead of wrapping).
template <typename T>
std::optional<T> parseNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Walks whitespace-separated tokens (runs of spaces and tabs separate).
class Tokens {
 public:
  explicit Tokens(std::string_view s) : rest_(s) {}
  // The next token, or an empty view at the end.
  std::string_view next() {
    while (!rest_.empty() && isSpace(rest_.front())) rest_.remove_prefix(1);
    size_t n = 0;
    while (n < rest_.size() && !isSpace(rest_[n])) ++n;
    const auto token = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return token;
  }
  // Everything after the tokens taken so far, trimmed.
  std::string_view rest() const { return trim(rest_); }
  bool atEnd() const { return rest().empty(); }

 private:
  std::string_view rest_;
};

// Splits "head rest" at the first run of whitespace; both parts trimmed.
struct HeadRest {
  std::string_view head;
  std::string_view rest;
};
inline HeadRest splitHead(std::string_view s) {
  Tokens t(s);
  const auto head = t.next();
  return {head, t.rest()};
}

}  // namespace callgate::media::sdp::text
