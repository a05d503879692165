#pragma once
// Call Me tokens: a shop's backend obtains one for a button and the customer's
// context, the widget presents it in the INVITE, and callgated checks it.
//
//   token   = base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))
//   payload = {"v":1,"btn":"<button>","iat":<s>,"exp":<s>,"jti":"<random>",
//              "ctx":{"customer_id":"..","order_id":"..","data":{"k":"v",..}}}
//
// base64url is RFC 4648 §5 without padding; times are Unix seconds. The
// signature covers the encoded payload as sent, so no re-serialisation can
// change what was signed (the JWS approach, RFC 7515 §5.1).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callgate::core {
class Random;
}

namespace callgate::callme {

// What the page's backend knows about the customer; values are delivered as
// SIP headers only after ContextHeaders has sanitised them.
struct TokenContext {
  std::string customerId;
  std::string orderId;
  std::vector<std::pair<std::string, std::string>> data;  // in issue order
  bool operator==(const TokenContext&) const = default;
};

struct TokenClaims {
  std::string button;
  int64_t issuedAt = 0;
  int64_t expiresAt = 0;
  std::string id;  // jti: random, for logs and a later replay check
  TokenContext context;
  bool operator==(const TokenClaims&) const = default;
};

enum class TokenError {
  Malformed,     // not two base64url parts, not the payload shape, over the size limit
  BadSignature,  // the HMAC does not match (altered, or signed with another secret)
  Expired,       // now >= exp
  NotYetValid,   // iat is in the future (beyond kClockSkewSeconds)
  WrongButton,   // signed for another button
  TtlTooLong,    // exp - iat exceeds the maximum the gateway accepts
};
std::string_view toString(TokenError error);

struct TokenCheck {
  std::optional<TokenClaims> claims;  // set when the token is valid
  TokenError error = TokenError::Malformed;
  bool ok() const { return claims.has_value(); }
};

constexpr size_t kMaxTokenBytes = 4096;
constexpr int64_t kClockSkewSeconds = 5;

// Signs a token for `button` valid from `now` for `ttlSeconds`. `secret` is
// the raw key (the decoded callme.token_secret).
std::string issueToken(std::string_view secret, std::string_view button,
                       const TokenContext& context, int64_t ttlSeconds, int64_t now,
                       core::Random& random);

// Checks, in order: shape and size, signature (constant-time compare), then
// the payload: version, lifetime not over `maxTtlSeconds`, not before iat,
// not at or after exp, and the button. An empty secret verifies nothing.
TokenCheck verifyToken(std::string_view secret, std::string_view token, std::string_view button,
                       int64_t now, int64_t maxTtlSeconds);

}  // namespace callgate::callme
