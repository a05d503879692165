#include "media/rtc/SdesKeys.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <vector>

namespace callgate::media::rtc {
namespace {

size_t masterLength(SrtpProfile profile) {
  return srtpKeyLength(profile) + srtpSaltLength(profile);
}

std::optional<std::vector<uint8_t>> decodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 128) return std::nullopt;
  std::vector<uint8_t> out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t length = static_cast<size_t>(n);
  // EVP_DecodeBlock counts the bytes '=' padding stands for; drop them.
  if (text.ends_with("==")) {
    length -= 2;
  } else if (text.ends_with("=")) {
    length -= 1;
  }
  out.resize(length);
  return out;
}

}  // namespace

std::optional<SrtpProfile> sdesSuiteProfile(std::string_view suite) {
  if (suite == "AES_CM_128_HMAC_SHA1_80") return SrtpProfile::AesCm128HmacSha1_80;
  if (suite == "AEAD_AES_128_GCM") return SrtpProfile::AeadAes128Gcm;
  return std::nullopt;
}

std::string generateSdesKey(SrtpProfile profile) {
  uint8_t key[32];
  const size_t length = masterLength(profile);
  RAND_bytes(key, static_cast<int>(length));
  std::string out(((length + 2) / 3) * 4 + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), key, static_cast<int>(length));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::array<uint8_t, 32>> parseSdesKey(std::string_view keyParams,
                                                    SrtpProfile profile) {
  constexpr std::string_view kInline = "inline:";
  if (!keyParams.starts_with(kInline)) return std::nullopt;
  keyParams.remove_prefix(kInline.size());
  const auto bar = keyParams.find('|');
  const auto base64 = keyParams.substr(0, bar);
  if (bar != std::string_view::npos) {
    // Lifetime is fine; an MKI ("n:len") is not supported.
    const auto rest = keyParams.substr(bar + 1);
    if (rest.find(':') != std::string_view::npos) return std::nullopt;
  }
  const auto decoded = decodeBase64(base64);
  if (!decoded || decoded->size() != masterLength(profile)) return std::nullopt;
  std::array<uint8_t, 32> out{};
  std::copy(decoded->begin(), decoded->end(), out.begin());
  return out;
}

std::optional<SrtpKeys> sdesKeys(SrtpProfile profile, std::string_view localBase64,
                                 std::string_view remoteKeyParams) {
  const auto local = parseSdesKey("inline:" + std::string(localBase64), profile);
  const auto remote = parseSdesKey(remoteKeyParams, profile);
  if (!local || !remote) return std::nullopt;
  SrtpKeys keys;
  keys.profile = profile;
  keys.local = *local;
  keys.remote = *remote;
  return keys;
}

}  // namespace callgate::media::rtc
