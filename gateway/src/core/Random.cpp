#include "core/Random.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace callgate::core {

std::string Random::token(size_t length) {
  static constexpr char kAlphabet[] =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string out;
  out.reserve(length);
  uint64_t bits = 0;
  int left = 0;
  while (out.size() < length) {
    if (left == 0) {
      bits = next();
      left = 10;  // ten 6-bit draws per 64-bit value
    }
    const auto v = static_cast<unsigned>(bits & 63U);
    bits >>= 6;
    --left;
    if (v < 62) out.push_back(kAlphabet[v]);  // reject 62, 63: keeps the draw uniform
  }
  return out;
}

uint64_t SystemRandom::next() {
  uint64_t value = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof value) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return value;
}

SystemRandom& SystemRandom::instance() {
  static SystemRandom r;
  return r;
}

uint64_t FakeRandom::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace callgate::core
