// Fuzzes digest challenge parsing (a trunk's 401/407) and the answer to it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/auth/Digest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::sip::auth;
  auto c = parseChallenge(std::string_view(reinterpret_cast<const char*>(data), size));
  if (c) (void)buildAuthorization(*c, {"user", "secret"}, "INVITE", "sip:a@b", "cnonce", 1, "body");
  return 0;
}
