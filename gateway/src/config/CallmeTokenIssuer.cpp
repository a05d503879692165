#include "config/CallmeTokenIssuer.h"

#include "callme/Base64.h"
#include "callme/ContextHeaders.h"

namespace callgate::config {

std::variant<IssuedToken, TokenIssueError> issueButtonToken(const Config& config,
                                                            std::string_view button,
                                                            const callme::TokenContext& context,
                                                            int64_t ttlSeconds, int64_t now,
                                                            core::Random& random) {
  bool known = false;
  for (const auto& b : config.buttons) known = known || b.name == button;
  if (!known) return TokenIssueError{"button", "no button '" + std::string(button) + "'", true};
  if (ttlSeconds < 1 || ttlSeconds > static_cast<int64_t>(config.callme.token_max_ttl_s)) {
    return TokenIssueError{"ttl_s", "must be 1.." + std::to_string(config.callme.token_max_ttl_s) +
                                        " (callme.token_max_ttl_s)"};
  }
  // Values longer than callgated delivers would be cut silently; say so now.
  if (context.customerId.size() > callme::kMaxContextValueBytes) {
    return TokenIssueError{"customer_id", "longer than 256 bytes"};
  }
  if (context.orderId.size() > callme::kMaxContextValueBytes) {
    return TokenIssueError{"order_id", "longer than 256 bytes"};
  }
  if (context.data.size() > callme::kMaxContextDataKeys) {
    return TokenIssueError{"data", "more than 16 entries"};
  }
  for (const auto& [key, value] : context.data) {
    if (!callme::isValidContextKey(key)) {
      return TokenIssueError{"data." + callme::sanitizeHeaderValue(key, 64),
                             "keys must be 1-32 of [A-Za-z0-9-]"};
    }
    if (value.size() > callme::kMaxContextValueBytes) {
      return TokenIssueError{"data." + key, "longer than 256 bytes"};
    }
  }
  const auto key = callme::base64Decode(config.callme.token_secret);
  if (!key || key->empty()) {
    return TokenIssueError{"callme.token_secret",
                           "not set (callgated and callgate-mgmt make one on first start)"};
  }
  IssuedToken issued;
  issued.token = callme::issueToken(*key, button, context, ttlSeconds, now, random);
  if (issued.token.size() > callme::kMaxTokenBytes) {
    return TokenIssueError{"data", "the context makes the token larger than 4096 bytes"};
  }
  issued.issuedAt = now;
  issued.expiresAt = now + ttlSeconds;
  return issued;
}

}  // namespace callgate::config
