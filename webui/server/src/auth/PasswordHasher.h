#pragma once
// Password hashing with scrypt (RFC 7914), a memory-hard KDF, stored as a
// self-describing string so parameters can be raised later without breaking
// existing hashes:
//
//   $scrypt$ln=15,r=8,p=1$<salt, 32 hex>$<hash, 64 hex>
//
// N = 2^15, r = 8 costs 32 MiB and roughly 0.1 s per hash (RFC 7914 §2 and
// OWASP's interactive-login figures).

#include <cstdint>
#include <string>
#include <string_view>

namespace callgate::mgmt::auth {

struct ScryptParams {
  uint32_t log2N = 15;
  uint32_t r = 8;
  uint32_t p = 1;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(ScryptParams params = {}) : params_(params) {}

  // A fresh random salt each call. Throws on an OpenSSL failure.
  std::string hash(std::string_view password) const;
  // Recomputes with the stored parameters and compares in constant time.
  // A malformed or out-of-bounds stored string verifies nothing.
  bool verify(std::string_view password, std::string_view stored) const;

 private:
  ScryptParams params_;
};

}  // namespace callgate::mgmt::auth
