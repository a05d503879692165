#pragma once
// HMAC-SHA1 for STUN MESSAGE-INTEGRITY (RFC 8489 §14.5), over up to two
// discontiguous pieces so a verifier can feed a patched copy of the header
// followed by the message bytes without copying the message. Wraps OpenSSL's
// EVP_MAC once: the MAC is fetched once per process and a context kept per
// thread; re-keying still lets OpenSSL copy the key, which is acceptable for
// connectivity checks and consent refreshes (not per media packet).

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace callgate::media::stun {

using Sha1Digest = std::array<uint8_t, 20>;

// false only when OpenSSL fails.
bool hmacSha1(std::string_view key, std::span<const uint8_t> first, std::span<const uint8_t> second,
              Sha1Digest& out);

}  // namespace callgate::media::stun
