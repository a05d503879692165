#include <openssl/evp.h>

#include <boost/test/unit_test.hpp>

#include "auth/PasswordHasher.h"
#include "auth/SecureRandom.h"

using namespace callgate::mgmt::auth;

BOOST_AUTO_TEST_SUITE(password_hasher)

BOOST_AUTO_TEST_CASE(rfc7914_test_vector) {
  // RFC 7914 §12, second vector: P="password", S="NaCl", N=1024, r=8, p=16.
  unsigned char out[64];
  BOOST_REQUIRE(EVP_PBE_scrypt("password", 8, reinterpret_cast<const unsigned char*>("NaCl"), 4,
                               1024, 8, 16, 0, out, sizeof out) == 1);
  BOOST_TEST(toHex(out, 16) == "fdbabe1c9d3472007856e7190d01e9fe");
}

BOOST_AUTO_TEST_CASE(hash_is_self_describing_and_verifies) {
  PasswordHasher h(ScryptParams{10, 8, 1});
  const auto stored = h.hash("correct horse battery");
  BOOST_TEST(stored.starts_with("$scrypt$ln=10,r=8,p=1$"));
  BOOST_TEST(stored.size() == std::string("$scrypt$ln=10,r=8,p=1$").size() + 32 + 1 + 64);
  BOOST_TEST(h.verify("correct horse battery", stored));
  BOOST_TEST(!h.verify("correct horse batterY", stored));
  BOOST_TEST(!h.verify("", stored));
  // A fresh salt each time.
  BOOST_TEST(h.hash("correct horse battery") != stored);
}

BOOST_AUTO_TEST_CASE(verify_uses_the_stored_parameters) {
  const auto stored = PasswordHasher(ScryptParams{11, 4, 1}).hash("pw-with-other-params");
  BOOST_TEST(PasswordHasher(ScryptParams{10, 8, 1}).verify("pw-with-other-params", stored));
}

BOOST_AUTO_TEST_CASE(malformed_or_hostile_stored_strings_verify_nothing) {
  PasswordHasher h(ScryptParams{10, 8, 1});
  const auto good = h.hash("x");
  const std::string salt(32, 'a');
  const std::string hash(64, 'b');
  for (const std::string& bad : {
           std::string(),
           std::string("$scrypt$"),
           std::string("plain"),
           good.substr(0, good.size() - 2),
           "$scrypt$ln=30,r=8,p=1$" + salt + "$" + hash,  // 2^30: refused, not attempted
           "$scrypt$ln=10,r=99,p=1$" + salt + "$" + hash,
           "$scrypt$ln=10,r=8$" + salt + "$" + hash,
           "$scrypt$ln=10,r=8,p=1,q=2$" + salt + "$" + hash,
           "$scrypt$ln=10,r=8,p=1$" + salt + "$zz" + hash.substr(2),
           "$scrypt$ln=10,r=8,p=1$" + salt.substr(2) + "$" + hash,
           "$argon2$ln=10,r=8,p=1$" + salt + "$" + hash,
       }) {
    BOOST_TEST(!h.verify("x", bad), bad);
  }
}

BOOST_AUTO_TEST_CASE(constant_time_equals_compares_content_and_length) {
  BOOST_TEST(constantTimeEquals("abc", "abc"));
  BOOST_TEST(!constantTimeEquals("abc", "abd"));
  BOOST_TEST(!constantTimeEquals("abc", "abcd"));
  BOOST_TEST(constantTimeEquals("", ""));
  BOOST_TEST(sha256Hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  BOOST_TEST(randomHex(32).size() == 64U);
  BOOST_TEST(randomHex(32) != randomHex(32));
}

BOOST_AUTO_TEST_SUITE_END()
