#include <boost/test/unit_test.hpp>

#include "callme/Base64.h"

using namespace callgate::callme;

BOOST_AUTO_TEST_SUITE(callme_base64)

// RFC 4648 §10 test vectors.
BOOST_AUTO_TEST_CASE(rfc4648_vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    BOOST_TEST(base64Encode(plain) == encoded);
    BOOST_TEST(base64Decode(encoded).value() == plain);
    std::string url = encoded;
    while (!url.empty() && url.back() == '=') url.pop_back();
    BOOST_TEST(base64UrlEncode(plain) == url);
    BOOST_TEST(base64UrlDecode(url).value() == plain);
  }
}

BOOST_AUTO_TEST_CASE(url_alphabet_differs_in_two_characters) {
  const std::string bytes("\xfb\xff\xbf", 3);
  BOOST_TEST(base64Encode(bytes) == "+/+/");
  BOOST_TEST(base64UrlEncode(bytes) == "-_-_");
  BOOST_TEST(base64UrlDecode("-_-_").value() == bytes);
  BOOST_TEST(!base64UrlDecode("+/+/"));
  BOOST_TEST(!base64Decode("-_-_"));
}

BOOST_AUTO_TEST_CASE(rejects_malformed_input) {
  BOOST_TEST(!base64Decode("Zg="));  // not a multiple of 4
  BOOST_TEST(!base64Decode("Zm9v!A=="));
  BOOST_TEST(!base64UrlDecode("Z"));   // 1 mod 4 cannot be
  BOOST_TEST(!base64UrlDecode("Zh"));  // non-zero unused bits: "Zg" is the one encoding of "f"
  BOOST_TEST(!base64UrlDecode("Zm9v="));
  BOOST_TEST(!base64UrlDecode(std::string("Zm\0v", 4)));
}

BOOST_AUTO_TEST_SUITE_END()
