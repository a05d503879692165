#include "callme/ContextHeaders.h"

namespace callgate::callme {
namespace {

// Length of the valid UTF-8 sequence at `s[i]` (RFC 3629 §4, no overlongs,
// no surrogates, nothing above U+10FFFF); 0 if there is none.
size_t utf8SequenceAt(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xbf) return 0;
  }
  return n;
}

}  // namespace

std::string sanitizeHeaderValue(std::string_view value, size_t maxBytes) {
  std::string out;
  out.reserve(std::min(value.size(), maxBytes));
  for (size_t i = 0; i < value.size();) {
    const auto c = static_cast<unsigned char>(value[i]);
    const size_t n = utf8SequenceAt(value, i);
    if (n == 0) {
      ++i;  // not UTF-8: dropped
      continue;
    }
    const bool control = n == 1 && (c < 0x20 || c == 0x7f);
    if (!control) {
      // A tab or any other control would let a value fold or split a header.
      if (out.size() + n > maxBytes) break;
      out.append(value.substr(i, n));
    } else if (c == '\t' && !out.empty() && out.back() != ' ') {
      if (out.size() + 1 > maxBytes) break;
      out.push_back(' ');
    }
    i += n;
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const auto last = out.find_last_not_of(' ');
  return out.substr(first, last - first + 1);
}

bool isValidContextKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxContextKeyBytes) return false;
  for (char c : key) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

HeaderList contextHeaders(std::string_view prefix, const TokenContext& context,
                          std::string_view pageUrl, std::string_view pageTitle) {
  HeaderList out;
  const auto add = [&](std::string_view name, std::string_view raw) {
    std::string value = sanitizeHeaderValue(raw);
    if (!value.empty()) out.emplace_back(std::string(prefix) + std::string(name), std::move(value));
  };
  add("Customer-Id", context.customerId);
  add("Order-Id", context.orderId);
  add("Page-Url", pageUrl);
  add("Page-Title", pageTitle);
  size_t keys = 0;
  for (const auto& [key, value] : context.data) {
    if (keys == kMaxContextDataKeys) break;
    if (!isValidContextKey(key)) continue;
    ++keys;
    add("Data-" + key, value);
  }
  return out;
}

}  // namespace callgate::callme
