#include "media/stun/HmacSha1.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

namespace callgate::media::stun {

namespace {

struct MacDeleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacContextDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacPtr = std::unique_ptr<EVP_MAC, MacDeleter>;
using MacContextPtr = std::unique_ptr<EVP_MAC_CTX, MacContextDeleter>;

EVP_MAC* hmac() {
  static const MacPtr mac(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
  return mac.get();
}

// One context per thread, created with its digest set; EVP_MAC_init() re-keys it.
EVP_MAC_CTX* threadContext() {
  thread_local const MacContextPtr ctx = [] {
    EVP_MAC* mac = hmac();
    MacContextPtr c(mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr);
    if (c) {
      char digest[] = OSSL_DIGEST_NAME_SHA1;
      const OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
          OSSL_PARAM_construct_end()};
      if (EVP_MAC_CTX_set_params(c.get(), params) != 1) c.reset();
    }
    return c;
  }();
  return ctx.get();
}

}  // namespace

bool hmacSha1(std::string_view key, std::span<const uint8_t> first, std::span<const uint8_t> second,
              Sha1Digest& out) {
  EVP_MAC_CTX* ctx = threadContext();
  if (ctx == nullptr) return false;
  // A null key pointer would mean "keep the previous key" to EVP_MAC_init();
  // an empty key must still replace it.
  static const unsigned char kEmpty = 0;
  const auto* keyBytes = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx, keyBytes, key.size(), nullptr) != 1) return false;
  if (!first.empty() && EVP_MAC_update(ctx, first.data(), first.size()) != 1) return false;
  if (!second.empty() && EVP_MAC_update(ctx, second.data(), second.size()) != 1) return false;
  size_t written = 0;
  if (EVP_MAC_final(ctx, out.data(), &written, out.size()) != 1) return false;
  return written == out.size();
}

}  // namespace callgate::media::stun
