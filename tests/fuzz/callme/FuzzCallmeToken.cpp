// Fuzzes Call Me token verification: the token text arrives in an INVITE
// header from any browser. Each input is checked as a token as it is, and
// also signed with the fuzzing key first, so the payload parser and the claim
// checks behind the signature are reached as well.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "callme/Base64.h"
#include "callme/ContextHeaders.h"
#include "callme/Token.h"

namespace {
constexpr std::string_view kKey = "fuzz-secret-0123456789abcdef0123";
constexpr int64_t kNow = 1796027400;

void check(std::string_view token) {
  using namespace callgate::callme;
  const auto r = verifyToken(kKey, token, "sales", kNow, 600);
  if (r.ok()) {
    const auto headers = contextHeaders("X-Callme-", r.claims->context, token, token);
    for (const auto& [name, value] : headers) {
      if (value.size() > kMaxContextValueBytes || value.find('\r') != std::string::npos ||
          value.find('\n') != std::string::npos)
        __builtin_trap();
    }
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::callme;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text);
  // The input as the JSON payload of a correctly signed token.
  const std::string payload = base64UrlEncode(text);
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &length);
  check(payload + "." +
        base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), length)));
  return 0;
}
