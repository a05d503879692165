#pragma once
// Secrets (session ids, CSRF tokens, salts, API keys, first passwords) come
// from OpenSSL's CSPRNG; these helpers throw if it fails rather than return
// anything guessable.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::mgmt::auth {

std::vector<unsigned char> randomBytes(size_t count);
// 2 * `bytes` lowercase hex digits.
std::string randomHex(size_t bytes);
std::string toHex(const unsigned char* data, size_t size);
// Compares in time that depends only on the lengths.
bool constantTimeEquals(std::string_view a, std::string_view b);
// Lowercase hex SHA-256.
std::string sha256Hex(std::string_view data);

}  // namespace callgate::mgmt::auth
