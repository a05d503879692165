#pragma once
// Randomness is injected: tags, branches and nonces come from a Random so tests
// can replay exact messages.

#include <cstdint>
#include <string>

namespace callgate::core {

class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t next() = 0;
  // `length` characters from [0-9a-zA-Z], for SIP tags, branches and Call-IDs.
  std::string token(size_t length);
};

// Cryptographically strong (OpenSSL RAND_bytes).
class SystemRandom final : public Random {
 public:
  uint64_t next() override;
  static SystemRandom& instance();
};

// Deterministic (splitmix64) for tests.
class FakeRandom final : public Random {
 public:
  explicit FakeRandom(uint64_t seed = 1) : state_(seed) {}
  uint64_t next() override;

 private:
  uint64_t state_;
};

}  // namespace callgate::core
