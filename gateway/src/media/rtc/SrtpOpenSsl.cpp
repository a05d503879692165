// OpenSSL 3 deprecates its low-level SHA-1 interface, but it is the one that
// lets an HMAC restart from precomputed pad states by copying a struct, with
// no allocation per packet.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "media/rtc/SrtpOpenSsl.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <srtp2/auth.h>
#include <srtp2/cipher.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>

// libsrtp's own known-answer vectors, exported by the library: a replacement
// is checked against the same data the built-in ciphers are.
extern "C" {
extern const srtp_cipher_test_case_t srtp_aes_gcm_128_test_case_0;
extern const srtp_cipher_test_case_t srtp_aes_icm_128_test_case_0;
}

namespace callgate::media::rtc {
namespace {

constexpr int kAesKeyBytes = SRTP_AES_128_KEY_LEN;
constexpr size_t kBlockBytes = 16;

// A libsrtp cipher whose state owns one OpenSSL cipher context.
template <typename State>
srtp_err_status_t allocCipher(srtp_cipher_t** out, const srtp_cipher_type_t& type, int keyLength,
                              int algorithm, State** created) {
  auto* cipher = new (std::nothrow) srtp_cipher_t{};
  auto* state = new (std::nothrow) State{};
  if (!cipher || !state || !(state->ctx = EVP_CIPHER_CTX_new())) {
    delete cipher;
    delete state;
    return srtp_err_status_alloc_fail;
  }
  cipher->type = &type;
  cipher->state = state;
  cipher->key_len = keyLength;
  cipher->algorithm = algorithm;
  *out = cipher;
  *created = state;
  return srtp_err_status_ok;
}

template <typename State>
srtp_err_status_t deallocCipher(srtp_cipher_t* cipher) {
  auto* state = static_cast<State*>(cipher->state);
  EVP_CIPHER_CTX_free(state->ctx);
  delete state;
  delete cipher;
  return srtp_err_status_ok;
}

// ---------------------------------------------------------------- AES-GCM

struct GcmState {
  EVP_CIPHER_CTX* ctx = nullptr;
  int tagLength = 16;
};

extern const srtp_cipher_type_t kGcm128;

srtp_err_status_t gcmAlloc(srtp_cipher_t** out, int keyLength, int tagLength) {
  if (keyLength != SRTP_AES_GCM_128_KEY_LEN_WSALT && keyLength != kAesKeyBytes) {
    return srtp_err_status_bad_param;
  }
  if (tagLength != 16 && tagLength != 8) return srtp_err_status_bad_param;
  GcmState* state = nullptr;
  const auto status = allocCipher(out, kGcm128, keyLength, SRTP_AES_GCM_128, &state);
  if (status == srtp_err_status_ok) state->tagLength = tagLength;
  return status;
}

srtp_err_status_t gcmInit(void* s, const uint8_t* key) {
  auto* state = static_cast<GcmState*>(s);
  // The salt after the key is libsrtp's: it builds each packet's IV itself.
  if (EVP_CipherInit_ex(state->ctx, EVP_aes_128_gcm(), nullptr, key, nullptr, 1) != 1) {
    return srtp_err_status_init_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t gcmSetIv(void* s, uint8_t* iv, srtp_cipher_direction_t direction) {
  auto* state = static_cast<GcmState*>(s);
  if (direction != srtp_direction_encrypt && direction != srtp_direction_decrypt) {
    return srtp_err_status_bad_param;
  }
  // The key schedule stays; the IV (12 bytes, RFC 7714 §8.1) and the
  // direction are new for every packet.
  if (EVP_CipherInit_ex(state->ctx, nullptr, nullptr, nullptr, iv,
                        direction == srtp_direction_encrypt ? 1 : 0) != 1) {
    return srtp_err_status_init_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t gcmSetAad(void* s, const uint8_t* aad, uint32_t length) {
  auto* state = static_cast<GcmState*>(s);
  int written = 0;
  if (EVP_CipherUpdate(state->ctx, nullptr, &written, aad, static_cast<int>(length)) != 1) {
    return srtp_err_status_algo_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t gcmEncrypt(void* s, uint8_t* buffer, unsigned int* length) {
  auto* state = static_cast<GcmState*>(s);
  if (*length == 0) return srtp_err_status_ok;
  int written = 0;
  if (EVP_CipherUpdate(state->ctx, buffer, &written, buffer, static_cast<int>(*length)) != 1) {
    return srtp_err_status_algo_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t gcmGetTag(void* s, uint8_t* tag, uint32_t* length) {
  auto* state = static_cast<GcmState*>(s);
  std::array<uint8_t, kBlockBytes> rest;  // GCM finishes without output
  int written = 0;
  if (EVP_CipherFinal_ex(state->ctx, rest.data(), &written) != 1 ||
      EVP_CIPHER_CTX_ctrl(state->ctx, EVP_CTRL_GCM_GET_TAG, state->tagLength, tag) != 1) {
    return srtp_err_status_algo_fail;
  }
  *length = static_cast<uint32_t>(state->tagLength);
  return srtp_err_status_ok;
}

// `buffer` holds the ciphertext followed by the tag.
srtp_err_status_t gcmDecrypt(void* s, uint8_t* buffer, unsigned int* length) {
  auto* state = static_cast<GcmState*>(s);
  const auto tag = static_cast<unsigned int>(state->tagLength);
  if (*length < tag) return srtp_err_status_bad_param;
  const unsigned int body = *length - tag;
  int written = 0;
  if (EVP_CIPHER_CTX_ctrl(state->ctx, EVP_CTRL_GCM_SET_TAG, state->tagLength, buffer + body) != 1) {
    return srtp_err_status_auth_fail;
  }
  if (body > 0 &&
      EVP_CipherUpdate(state->ctx, buffer, &written, buffer, static_cast<int>(body)) != 1) {
    return srtp_err_status_auth_fail;
  }
  std::array<uint8_t, kBlockBytes> rest;
  if (EVP_CipherFinal_ex(state->ctx, rest.data(), &written) != 1) {
    return srtp_err_status_auth_fail;  // the tag does not match
  }
  *length = body;
  return srtp_err_status_ok;
}

constexpr char kGcmDescription[] = "AES-128 GCM (OpenSSL)";

const srtp_cipher_type_t kGcm128 = {
    gcmAlloc,         deallocCipher<GcmState>,
    gcmInit,          gcmSetAad,
    gcmEncrypt,       gcmDecrypt,
    gcmSetIv,         gcmGetTag,
    kGcmDescription,  &srtp_aes_gcm_128_test_case_0,
    SRTP_AES_GCM_128,
};

// ---------------------------------------------------------------- AES-ICM

// AES in counter mode as RFC 3711 §4.1.1 has it: the counter block is the
// salt (14 bytes, then two zero bytes) XOR the IV libsrtp gives per packet.
struct IcmState {
  EVP_CIPHER_CTX* ctx = nullptr;
  std::array<uint8_t, kBlockBytes> offset{};
};

extern const srtp_cipher_type_t kIcm128;

srtp_err_status_t icmAlloc(srtp_cipher_t** out, int keyLength, int) {
  if (keyLength != SRTP_AES_ICM_128_KEY_LEN_WSALT) return srtp_err_status_bad_param;
  IcmState* state = nullptr;
  return allocCipher(out, kIcm128, keyLength, SRTP_AES_ICM_128, &state);
}

srtp_err_status_t icmInit(void* s, const uint8_t* key) {
  auto* state = static_cast<IcmState*>(s);
  state->offset.fill(0);
  std::memcpy(state->offset.data(), key + kAesKeyBytes, SRTP_SALT_LEN);
  if (EVP_EncryptInit_ex(state->ctx, EVP_aes_128_ctr(), nullptr, key, nullptr) != 1) {
    return srtp_err_status_init_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t icmSetIv(void* s, uint8_t* iv, srtp_cipher_direction_t) {
  auto* state = static_cast<IcmState*>(s);
  std::array<uint8_t, kBlockBytes> counter;
  for (size_t i = 0; i < kBlockBytes; ++i) counter[i] = state->offset[i] ^ iv[i];
  if (EVP_EncryptInit_ex(state->ctx, nullptr, nullptr, nullptr, counter.data()) != 1) {
    return srtp_err_status_init_fail;
  }
  return srtp_err_status_ok;
}

// Counter mode: encrypting and decrypting are the same keystream XOR.
srtp_err_status_t icmCrypt(void* s, uint8_t* buffer, unsigned int* length) {
  auto* state = static_cast<IcmState*>(s);
  if (*length == 0) return srtp_err_status_ok;
  int written = 0;
  if (EVP_EncryptUpdate(state->ctx, buffer, &written, buffer, static_cast<int>(*length)) != 1) {
    return srtp_err_status_cipher_fail;
  }
  return srtp_err_status_ok;
}

constexpr char kIcmDescription[] = "AES-128 counter mode (OpenSSL)";

const srtp_cipher_type_t kIcm128 = {
    icmAlloc,         deallocCipher<IcmState>,
    icmInit,          nullptr,
    icmCrypt,         icmCrypt,
    icmSetIv,         nullptr,
    kIcmDescription,  &srtp_aes_icm_128_test_case_0,
    SRTP_AES_ICM_128,
};

// ---------------------------------------------------------------- HMAC-SHA1

constexpr size_t kShaBlockBytes = 64;

// RFC 2104 with the inner and outer pad states computed once per key: each
// packet copies them (plain structs) instead of hashing the pads again.
struct HmacState {
  SHA_CTX inner{};
  SHA_CTX outer{};
  SHA_CTX running{};
};

extern const srtp_auth_type_t kHmacSha1;

srtp_err_status_t hmacAlloc(srtp_auth_t** out, int keyLength, int tagLength) {
  if (keyLength < 0 || keyLength > SHA_DIGEST_LENGTH || tagLength < 0 ||
      tagLength > SHA_DIGEST_LENGTH) {
    return srtp_err_status_bad_param;
  }
  auto* auth = new (std::nothrow) srtp_auth_t{};
  auto* state = new (std::nothrow) HmacState{};
  if (!auth || !state) {
    delete auth;
    delete state;
    return srtp_err_status_alloc_fail;
  }
  auth->type = &kHmacSha1;
  auth->state = state;
  auth->out_len = tagLength;
  auth->key_len = keyLength;
  auth->prefix_len = 0;
  *out = auth;
  return srtp_err_status_ok;
}

srtp_err_status_t hmacDealloc(srtp_auth_t* auth) {
  auto* state = static_cast<HmacState*>(auth->state);
  OPENSSL_cleanse(state, sizeof *state);
  delete state;
  delete auth;
  return srtp_err_status_ok;
}

srtp_err_status_t hmacInit(void* s, const uint8_t* key, int keyLength) {
  auto* state = static_cast<HmacState*>(s);
  if (keyLength < 0 || keyLength > static_cast<int>(kShaBlockBytes)) {
    return srtp_err_status_bad_param;
  }
  std::array<uint8_t, kShaBlockBytes> inner{};
  std::array<uint8_t, kShaBlockBytes> outer{};
  std::memcpy(inner.data(), key, static_cast<size_t>(keyLength));
  std::memcpy(outer.data(), key, static_cast<size_t>(keyLength));
  for (size_t i = 0; i < kShaBlockBytes; ++i) {
    inner[i] ^= 0x36;
    outer[i] ^= 0x5c;
  }
  const bool ok = SHA1_Init(&state->inner) == 1 &&
                  SHA1_Update(&state->inner, inner.data(), inner.size()) == 1 &&
                  SHA1_Init(&state->outer) == 1 &&
                  SHA1_Update(&state->outer, outer.data(), outer.size()) == 1;
  OPENSSL_cleanse(inner.data(), inner.size());
  OPENSSL_cleanse(outer.data(), outer.size());
  state->running = state->inner;
  return ok ? srtp_err_status_ok : srtp_err_status_init_fail;
}

srtp_err_status_t hmacStart(void* s) {
  auto* state = static_cast<HmacState*>(s);
  state->running = state->inner;
  return srtp_err_status_ok;
}

srtp_err_status_t hmacUpdate(void* s, const uint8_t* message, int length) {
  auto* state = static_cast<HmacState*>(s);
  if (length < 0) return srtp_err_status_bad_param;
  SHA1_Update(&state->running, message, static_cast<size_t>(length));
  return srtp_err_status_ok;
}

srtp_err_status_t hmacCompute(void* s, const uint8_t* message, int length, int tagLength,
                              uint8_t* tag) {
  auto* state = static_cast<HmacState*>(s);
  if (length < 0 || tagLength < 0 || tagLength > SHA_DIGEST_LENGTH) {
    return srtp_err_status_bad_param;
  }
  std::array<uint8_t, SHA_DIGEST_LENGTH> digest;
  SHA1_Update(&state->running, message, static_cast<size_t>(length));
  SHA1_Final(digest.data(), &state->running);
  SHA_CTX outer = state->outer;
  SHA1_Update(&outer, digest.data(), digest.size());
  SHA1_Final(digest.data(), &outer);
  std::memcpy(tag, digest.data(), static_cast<size_t>(tagLength));
  return srtp_err_status_ok;
}

// RFC 2202 §3, test case 1.
constexpr uint8_t kHmacKey[20] = {0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
                                  0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b};
constexpr uint8_t kHmacData[8] = {'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e'};
constexpr uint8_t kHmacTag[20] = {0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b,
                                  0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00};
const srtp_auth_test_case_t kHmacTest = {
    sizeof kHmacKey, kHmacKey, sizeof kHmacData, kHmacData, sizeof kHmacTag, kHmacTag, nullptr,
};

constexpr char kHmacDescription[] = "HMAC-SHA1 (OpenSSL)";

const srtp_auth_type_t kHmacSha1 = {
    hmacAlloc, hmacDealloc,      hmacInit,   hmacCompute,    hmacUpdate,
    hmacStart, kHmacDescription, &kHmacTest, SRTP_HMAC_SHA1,
};

}  // namespace

bool installOpenSslSrtpCrypto(std::string* error) {
  std::string failed;
  if (srtp_replace_cipher_type(&kGcm128, SRTP_AES_GCM_128) != srtp_err_status_ok) {
    failed += " AES-128-GCM";
  }
  if (srtp_replace_cipher_type(&kIcm128, SRTP_AES_ICM_128) != srtp_err_status_ok) {
    failed += " AES-128-ICM";
  }
  if (srtp_replace_auth_type(&kHmacSha1, SRTP_HMAC_SHA1) != srtp_err_status_ok) {
    failed += " HMAC-SHA1";
  }
  if (failed.empty()) return true;
  if (error) *error = "libsrtp refused the OpenSSL implementation of" + failed;
  return false;
}

}  // namespace callgate::media::rtc
