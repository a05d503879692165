#pragma once
// Issues Call Me tokens for a configuration's buttons, signed with its
// callme.token_secret: one rule set for every issuer (the management REST
// API, callgate-token), so a token issued is a token callgated accepts.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "callme/Token.h"
#include "config/Config.h"

namespace callgate::core {
class Random;
}

namespace callgate::config {

struct IssuedToken {
  std::string token;
  int64_t issuedAt = 0;
  int64_t expiresAt = 0;
};

struct TokenIssueError {
  std::string field;  // the request field at fault ("button", "ttl_s", "data.<key>", ...)
  std::string message;
  bool unknownButton = false;  // the button does not exist (404 rather than 422)
};

// Refuses an unknown button, a lifetime of 0 or over callme.token_max_ttl_s,
// context values over the length callgated would deliver, data keys it
// would drop, more data entries than it sends, a token over the size it
// accepts, and a configuration without a secret.
std::variant<IssuedToken, TokenIssueError> issueButtonToken(const Config& config,
                                                            std::string_view button,
                                                            const callme::TokenContext& context,
                                                            int64_t ttlSeconds, int64_t now,
                                                            core::Random& random);

}  // namespace callgate::config
