#pragma once
// The customer context of a Call Me call as SIP headers toward the call
// centre. Everything here came from a browser or a shop's backend, so values
// are cleaned (no CR/LF or other control characters, valid UTF-8 only,
// bounded) and keys are restricted before anything becomes a header name
// (RFC 3261 §25.1: header names are tokens, values are TEXT-UTF8 without CR/LF).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callme/Token.h"

namespace callgate::callme {

constexpr size_t kMaxContextValueBytes = 256;
constexpr size_t kMaxContextDataKeys = 16;
constexpr size_t kMaxContextKeyBytes = 32;

// Drops control characters (C0, DEL) and bytes that are not part of a valid
// UTF-8 sequence, trims surrounding blanks, and cuts to `maxBytes` on a
// character boundary.
std::string sanitizeHeaderValue(std::string_view value, size_t maxBytes = kMaxContextValueBytes);
// [A-Za-z0-9-]{1,32}
bool isValidContextKey(std::string_view key);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// With prefix "X-Callme-": X-Callme-Customer-Id, X-Callme-Order-Id,
// X-Callme-Page-Url, X-Callme-Page-Title, then X-Callme-Data-<Key> for the
// first 16 data entries with valid keys. Empty values are left out.
HeaderList contextHeaders(std::string_view prefix, const TokenContext& context,
                          std::string_view pageUrl, std::string_view pageTitle);

}  // namespace callgate::callme
