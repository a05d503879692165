#include "xmlrpc/ScalarText.h"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace callgate::mgmt::xmlrpc {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

size_t skipDigits(std::string_view s, size_t pos) {
  while (pos < s.size() && isDigit(s[pos])) ++pos;
  return pos;
}

}  // namespace

std::optional<int64_t> parseIntegerText(std::string_view text, int64_t min, int64_t max) {
  const size_t signLength = !text.empty() && (text.front() == '+' || text.front() == '-') ? 1 : 0;
  if (text.size() == signLength || skipDigits(text, signLength) != text.size()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);  // from_chars takes no '+'
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) return std::nullopt;
  return value;
}

std::optional<double> parseDoubleText(std::string_view text) {
  // Check the grammar first: from_chars alone would take "inf", "nan" and hex.
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  const size_t intStart = pos;
  pos = skipDigits(text, pos);
  size_t digits = pos - intStart;
  if (pos < text.size() && text[pos] == '.') {
    const size_t fracStart = ++pos;
    pos = skipDigits(text, pos);
    digits += pos - fracStart;
  }
  if (digits == 0) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    const size_t expStart = pos;
    pos = skipDigits(text, pos);
    if (pos == expStart) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string formatDouble(double value) {
  // Fixed notation of DBL_MAX has 309 integer digits; DBL_TRUE_MIN needs 324
  // fraction digits before its shortest digit.
  std::array<char, 400> buf{};
  const auto [ptr, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed);
  std::string out = ec == std::errc() ? std::string(buf.data(), ptr) : std::string("0");
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

bool isDateTimeText(std::string_view text) {
  if (text.empty() || text.size() > 64 || !isDigit(text.front())) return false;
  for (char c : text) {
    if (!isDigit(c) && c != 'T' && c != '-' && c != ':' && c != '.' && c != '+' && c != 'Z') {
      return false;
    }
  }
  return true;
}

bool isMethodName(std::string_view name) {
  constexpr size_t kMaxMethodName = 256;
  if (name.empty() || name.size() > kMaxMethodName) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c == '_' ||
                    c == '.' || c == ':' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace callgate::mgmt::xmlrpc
