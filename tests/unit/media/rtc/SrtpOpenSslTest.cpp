// The OpenSSL ciphers and MAC installed into libsrtp: libsrtp took them (its
// own known-answer tests passed), and on random keys, IVs and packets they
// give byte for byte what the NSS implementations they replace give, in both
// directions; a forged GCM tag is refused.

#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <srtp2/auth.h>
#include <srtp2/cipher.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string_view>
#include <vector>

#include "media/rtc/SrtpSession.h"

extern "C" {
// The library's built-in (NSS) implementations, exported by libsrtp2.
extern const srtp_cipher_type_t srtp_aes_gcm_128;
extern const srtp_cipher_type_t srtp_aes_icm_128;
const srtp_cipher_type_t* srtp_crypto_kernel_get_cipher_type(srtp_cipher_type_id_t id);
const srtp_auth_type_t* srtp_crypto_kernel_get_auth_type(srtp_auth_type_id_t id);
}

using namespace callgate::media::rtc;

namespace {

std::vector<uint8_t> randomBytes(size_t n) {
  std::vector<uint8_t> out(n);
  if (n > 0) RAND_bytes(out.data(), static_cast<int>(n));
  return out;
}

const srtp_cipher_type_t& installedCipher(srtp_cipher_type_id_t id) {
  SrtpSession::initLibrary();
  const srtp_cipher_type_t* type = srtp_crypto_kernel_get_cipher_type(id);
  BOOST_REQUIRE(type);
  return *type;
}

struct Cipher {
  srtp_cipher_t* c = nullptr;
  Cipher(const srtp_cipher_type_t& type, const std::vector<uint8_t>& key, int tag) {
    BOOST_REQUIRE(type.alloc(&c, static_cast<int>(key.size()), tag) == srtp_err_status_ok);
    BOOST_REQUIRE(type.init(c->state, key.data()) == srtp_err_status_ok);
  }
  ~Cipher() { c->type->dealloc(c); }
};

// GCM: IV, AAD, encrypt, tag; returns ciphertext || tag.
std::vector<uint8_t> gcmSeal(const srtp_cipher_type_t& type, const std::vector<uint8_t>& key,
                             std::vector<uint8_t> iv, const std::vector<uint8_t>& aad,
                             std::vector<uint8_t> data) {
  Cipher cipher(type, key, 16);
  auto* c = cipher.c;
  BOOST_REQUIRE(type.set_iv(c->state, iv.data(), srtp_direction_encrypt) == srtp_err_status_ok);
  BOOST_REQUIRE(type.set_aad(c->state, aad.data(), static_cast<uint32_t>(aad.size())) ==
                srtp_err_status_ok);
  // As in a packet, room for the tag follows the data (NSS's cipher writes
  // it there).
  const auto length = data.size();
  data.resize(length + 16);
  auto encrypted = static_cast<unsigned int>(length);
  BOOST_REQUIRE(type.encrypt(c->state, data.data(), &encrypted) == srtp_err_status_ok);
  std::vector<uint8_t> tag(16);
  uint32_t tagLength = 0;
  BOOST_REQUIRE(type.get_tag(c->state, tag.data(), &tagLength) == srtp_err_status_ok);
  BOOST_REQUIRE(tagLength == 16u);
  std::copy(tag.begin(), tag.end(), data.begin() + static_cast<std::ptrdiff_t>(length));
  return data;
}

srtp_err_status_t gcmOpen(const srtp_cipher_type_t& type, const std::vector<uint8_t>& key,
                          std::vector<uint8_t> iv, const std::vector<uint8_t>& aad,
                          std::vector<uint8_t>& sealed) {
  Cipher cipher(type, key, 16);
  auto* c = cipher.c;
  BOOST_REQUIRE(type.set_iv(c->state, iv.data(), srtp_direction_decrypt) == srtp_err_status_ok);
  BOOST_REQUIRE(type.set_aad(c->state, aad.data(), static_cast<uint32_t>(aad.size())) ==
                srtp_err_status_ok);
  auto length = static_cast<unsigned int>(sealed.size());
  const auto status = type.decrypt(c->state, sealed.data(), &length);
  if (status == srtp_err_status_ok) sealed.resize(length);
  return status;
}

std::vector<uint8_t> icmCrypt(const srtp_cipher_type_t& type, const std::vector<uint8_t>& key,
                              std::vector<uint8_t> iv, std::vector<uint8_t> data) {
  Cipher cipher(type, key, 0);
  BOOST_REQUIRE(type.set_iv(cipher.c->state, iv.data(), srtp_direction_encrypt) ==
                srtp_err_status_ok);
  auto length = static_cast<unsigned int>(data.size());
  BOOST_REQUIRE(type.encrypt(cipher.c->state, data.data(), &length) == srtp_err_status_ok);
  return data;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(srtp_openssl)

BOOST_AUTO_TEST_CASE(libsrtp_took_the_openssl_implementations) {
  BOOST_TEST(std::string_view(installedCipher(SRTP_AES_GCM_128).description).find("OpenSSL") !=
             std::string_view::npos);
  BOOST_TEST(std::string_view(installedCipher(SRTP_AES_ICM_128).description).find("OpenSSL") !=
             std::string_view::npos);
  const srtp_auth_type_t* hmac = srtp_crypto_kernel_get_auth_type(SRTP_HMAC_SHA1);
  BOOST_REQUIRE(hmac);
  BOOST_TEST(std::string_view(hmac->description).find("OpenSSL") != std::string_view::npos);
}

BOOST_AUTO_TEST_CASE(gcm_matches_the_nss_implementation_both_ways) {
  const auto& ours = installedCipher(SRTP_AES_GCM_128);
  for (size_t length : {0u, 1u, 15u, 16u, 17u, 160u, 1200u}) {
    const auto key = randomBytes(SRTP_AES_GCM_128_KEY_LEN_WSALT);
    auto iv = randomBytes(16);
    const auto aad = randomBytes(12 + length % 9);
    const auto plain = randomBytes(length);
    const auto sealed = gcmSeal(ours, key, iv, aad, plain);
    BOOST_TEST(sealed == gcmSeal(srtp_aes_gcm_128, key, iv, aad, plain));
    auto copy = sealed;
    BOOST_TEST(gcmOpen(srtp_aes_gcm_128, key, iv, aad, copy) == srtp_err_status_ok);
    BOOST_TEST(copy == plain);
    copy = sealed;
    BOOST_TEST(gcmOpen(ours, key, iv, aad, copy) == srtp_err_status_ok);
    BOOST_TEST(copy == plain);
    // One flipped bit anywhere fails the tag.
    copy = sealed;
    copy[copy.size() / 2] ^= 0x01;
    BOOST_TEST(gcmOpen(ours, key, iv, aad, copy) == srtp_err_status_auth_fail);
  }
}

BOOST_AUTO_TEST_CASE(icm_matches_the_nss_implementation) {
  const auto& ours = installedCipher(SRTP_AES_ICM_128);
  for (size_t length : {1u, 16u, 33u, 172u, 1400u}) {
    const auto key = randomBytes(SRTP_AES_ICM_128_KEY_LEN_WSALT);
    auto iv = randomBytes(16);
    iv[14] = iv[15] = 0;  // libsrtp leaves the block counter to the cipher
    const auto plain = randomBytes(length);
    const auto encrypted = icmCrypt(ours, key, iv, plain);
    BOOST_TEST(encrypted == icmCrypt(srtp_aes_icm_128, key, iv, plain));
    BOOST_TEST(icmCrypt(ours, key, iv, encrypted) == plain);
  }
}

BOOST_AUTO_TEST_CASE(hmac_sha1_matches_openssl_hmac_in_pieces) {
  SrtpSession::initLibrary();
  const srtp_auth_type_t* type = srtp_crypto_kernel_get_auth_type(SRTP_HMAC_SHA1);
  BOOST_REQUIRE(type);
  const auto key = randomBytes(20);
  srtp_auth_t* auth = nullptr;
  BOOST_REQUIRE(type->alloc(&auth, 20, 10) == srtp_err_status_ok);
  BOOST_REQUIRE(type->init(auth->state, key.data(), 20) == srtp_err_status_ok);
  for (size_t length : {0u, 12u, 64u, 65u, 1000u}) {
    // As libsrtp authenticates a packet: start, the packet, then the ROC.
    const auto packet = randomBytes(length);
    const auto roc = randomBytes(4);
    std::vector<uint8_t> tag(10);
    BOOST_REQUIRE(type->start(auth->state) == srtp_err_status_ok);
    BOOST_REQUIRE(type->update(auth->state, packet.data(), static_cast<int>(length)) ==
                  srtp_err_status_ok);
    BOOST_REQUIRE(type->compute(auth->state, roc.data(), 4, 10, tag.data()) == srtp_err_status_ok);
    auto whole = packet;
    whole.insert(whole.end(), roc.begin(), roc.end());
    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int expectedLength = 0;
    HMAC(EVP_sha1(), key.data(), 20, whole.data(), whole.size(), expected, &expectedLength);
    BOOST_TEST(std::vector<uint8_t>(expected, expected + 10) == tag);
  }
  type->dealloc(auth);
}

BOOST_AUTO_TEST_SUITE_END()
