#pragma once
// SIP digest authentication as a client (RFC 3261 §22, RFC 2617, RFC 7616):
// answering a trunk's 401/407 challenge. MD5 and SHA-256, and their -sess
// variants; qop "auth" (preferred) or none.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::sip::auth {

struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;
  std::string algorithm = "MD5";
  std::vector<std::string> qop;
  bool stale = false;
};

struct DigestCredentials {
  std::string username;
  std::string password;
};

// One WWW-Authenticate / Proxy-Authenticate value. nullopt (and *error) for
// anything malformed, not Digest, or with an algorithm we cannot compute.
std::optional<DigestChallenge> parseChallenge(std::string_view headerValue,
                                              std::string* error = nullptr);

// The Authorization / Proxy-Authorization value for one request.
std::string buildAuthorization(const DigestChallenge& challenge,
                               const DigestCredentials& credentials, std::string_view method,
                               std::string_view digestUri, std::string_view cnonce,
                               uint32_t nonceCount, std::string_view body = {});

}  // namespace callgate::sip::auth
