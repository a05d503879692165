#pragma once
// Small text helpers for the SIP parsers: ASCII classes, trimming, quoted
// strings, parameter lists. No locale, no allocation.

#include <optional>
#include <string_view>

namespace callgate::sip {

inline bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
inline bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool isAlnum(char c) {
  return isDigit(c) || isAlpha(c);
}
inline bool isHexDigit(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline bool isSpace(char c) {
  return c == ' ' || c == '\t';
}
inline char toLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

inline bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (toLower(a[i]) != toLower(b[i])) return false;
  }
  return true;
}

inline std::string_view trimLeft(std::string_view s) {
  while (!s.empty() && (isSpace(s.front()) || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  return s;
}
inline std::string_view trim(std::string_view s) {
  s = trimLeft(s);
  while (!s.empty() && (isSpace(s.back()) || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Index of the '"' closing the quoted string that opens at `open`, honouring
// backslash escapes; npos when unterminated.
inline size_t findClosingQuote(std::string_view s, size_t open) {
  for (size_t i = open + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Calls f(name, value) for each ';'-separated parameter; quoted values keep
// their quotes. Empty segments are skipped.
template <typename F>
void forEachParam(std::string_view params, F&& f) {
  size_t i = 0;
  while (i <= params.size()) {
    size_t end = i;
    while (end < params.size() && params[end] != ';') {
      if (params[end] == '"') {
        const auto close = findClosingQuote(params, end);
        end = close == std::string_view::npos ? params.size() : close + 1;
      } else {
        ++end;
      }
    }
    const auto segment = trim(params.substr(i, end - i));
    if (!segment.empty()) {
      const auto eq = segment.find('=');
      if (eq == std::string_view::npos) {
        f(segment, std::nullopt);
      } else {
        f(trim(segment.substr(0, eq)),
          std::optional<std::string_view>(trim(segment.substr(eq + 1))));
      }
    }
    if (end >= params.size()) break;
    i = end + 1;
  }
}

// Every parameter name a token, every value a token, host or quoted string.
bool validParams(std::string_view params);

// Splits a comma-separated header value, ignoring commas inside quotes and <>.
template <typename F>
void forEachListItem(std::string_view value, F&& f) {
  size_t start = 0;
  bool inAngle = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '"') {
      const auto close = findClosingQuote(value, i);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '<') {
      inAngle = true;
    } else if (c == '>') {
      inAngle = false;
    } else if (c == ',' && !inAngle) {
      const auto item = trim(value.substr(start, i - start));
      if (!item.empty()) f(item);
      start = i + 1;
    }
  }
  const auto item = trim(value.substr(start));
  if (!item.empty()) f(item);
}

// A cursor over header text that skips linear white space between tokens.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool skipSpace() {
    const size_t before = pos_;
    while (pos_ < text_.size() && isSpace(text_[pos_])) ++pos_;
    return pos_ > before;
  }
  std::string_view token();
  std::string_view digits() {
    skipSpace();
    const size_t start = pos_;
    while (pos_ < text_.size() && isDigit(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      skipSpace();
      return true;
    }
    return false;
  }
  bool atEnd() {
    skipSpace();
    return pos_ >= text_.size();
  }
  std::string_view rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace callgate::sip
