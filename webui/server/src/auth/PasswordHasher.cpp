#include "auth/PasswordHasher.h"

#include <openssl/evp.h>

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

#include "auth/SecureRandom.h"

namespace callgate::mgmt::auth {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr std::string_view kPrefix = "$scrypt$";

// Bounds for stored parameters: a tampered row must not make a login use
// gigabytes of memory or minutes of CPU.
constexpr uint32_t kMaxLog2N = 20;
constexpr uint32_t kMaxR = 16;
constexpr uint32_t kMaxP = 4;

struct Parsed {
  ScryptParams params;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> hash;
};

std::optional<std::vector<unsigned char>> fromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<unsigned char> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned value = 0;
    const auto* first = hex.data() + 2 * i;
    const auto r = std::from_chars(first, first + 2, value, 16);
    if (r.ec != std::errc() || r.ptr != first + 2) return std::nullopt;
    out[i] = static_cast<unsigned char>(value);
  }
  return out;
}

std::optional<uint32_t> number(std::string_view text) {
  uint32_t value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "ln=15,r=8,p=1"
std::optional<ScryptParams> parseParams(std::string_view text) {
  ScryptParams p;
  int seen = 0;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const auto value = number(item.substr(eq + 1));
    if (!value) return std::nullopt;
    const auto key = item.substr(0, eq);
    if (key == "ln") {
      p.log2N = *value;
    } else if (key == "r") {
      p.r = *value;
    } else if (key == "p") {
      p.p = *value;
    } else {
      return std::nullopt;
    }
    ++seen;
  }
  if (seen != 3 || p.log2N < 1 || p.log2N > kMaxLog2N || p.r < 1 || p.r > kMaxR || p.p < 1 ||
      p.p > kMaxP) {
    return std::nullopt;
  }
  return p;
}

std::optional<Parsed> parse(std::string_view stored) {
  if (!stored.starts_with(kPrefix)) return std::nullopt;
  stored.remove_prefix(kPrefix.size());
  const auto a = stored.find('$');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = stored.find('$', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  auto params = parseParams(stored.substr(0, a));
  auto salt = fromHex(stored.substr(a + 1, b - a - 1));
  auto hash = fromHex(stored.substr(b + 1));
  if (!params || !salt || !hash || salt->size() != kSaltBytes || hash->size() != kHashBytes) {
    return std::nullopt;
  }
  return Parsed{*params, std::move(*salt), std::move(*hash)};
}

bool derive(std::string_view password, const std::vector<unsigned char>& salt,
            const ScryptParams& p, unsigned char* out, size_t outSize) {
  const uint64_t n = uint64_t{1} << p.log2N;
  // scrypt needs 128 * r * (N + p) bytes; leave headroom for OpenSSL's own.
  const uint64_t maxMem = 128ULL * p.r * (n + p.p) + (1ULL << 20);
  return EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n, p.r, p.p,
                        maxMem, out, outSize) == 1;
}

}  // namespace

std::string PasswordHasher::hash(std::string_view password) const {
  const auto salt = randomBytes(kSaltBytes);
  unsigned char out[kHashBytes];
  if (!derive(password, salt, params_, out, sizeof out)) throw std::runtime_error("scrypt failed");
  return std::string(kPrefix) + "ln=" + std::to_string(params_.log2N) +
         ",r=" + std::to_string(params_.r) + ",p=" + std::to_string(params_.p) + "$" +
         toHex(salt.data(), salt.size()) + "$" + toHex(out, sizeof out);
}

bool PasswordHasher::verify(std::string_view password, std::string_view stored) const {
  const auto parsed = parse(stored);
  if (!parsed) return false;
  unsigned char out[kHashBytes];
  if (!derive(password, parsed->salt, parsed->params, out, sizeof out)) return false;
  return constantTimeEquals(
      std::string_view(reinterpret_cast<const char*>(out), sizeof out),
      std::string_view(reinterpret_cast<const char*>(parsed->hash.data()), parsed->hash.size()));
}

}  // namespace callgate::mgmt::auth
