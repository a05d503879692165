// Base64 (RFC 4648 §10 test vectors), number text and the XML character rules.

#include <boost/test/unit_test.hpp>
#include <limits>
#include <string>

#include "xmlrpc/Base64.h"
#include "xmlrpc/ScalarText.h"
#include "xmlrpc/XmlText.h"

using namespace callgate::mgmt::xmlrpc;

BOOST_AUTO_TEST_SUITE(xmlrpc_text_forms)

BOOST_AUTO_TEST_CASE(base64_rfc4648_vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    BOOST_TEST(encodeBase64(plain) == encoded);
    BOOST_TEST(decodeBase64(encoded).value() == plain);
  }
  BOOST_TEST(decodeBase64(" Zm9v\r\n YmFy\t").value() == "foobar");
  BOOST_TEST(!decodeBase64("Zm9v-mFy").has_value());  // base64url alphabet
  BOOST_TEST(!decodeBase64("Zm9vYg=").has_value());
}

BOOST_AUTO_TEST_CASE(integer_text) {
  constexpr auto kMin = std::numeric_limits<int64_t>::min();
  constexpr auto kMax = std::numeric_limits<int64_t>::max();
  BOOST_TEST(parseIntegerText("0", kMin, kMax).value() == 0);
  BOOST_TEST(parseIntegerText("-0", kMin, kMax).value() == 0);
  BOOST_TEST(parseIntegerText("0007", kMin, kMax).value() == 7);
  BOOST_TEST(parseIntegerText("-9223372036854775808", kMin, kMax).value() == kMin);
  BOOST_TEST(!parseIntegerText("9223372036854775808", kMin, kMax).has_value());
  BOOST_TEST(!parseIntegerText("11", 0, 10).has_value());
  BOOST_TEST(!parseIntegerText(" 1", kMin, kMax).has_value());  // callers trim
}

BOOST_AUTO_TEST_CASE(double_text) {
  BOOST_TEST(parseDoubleText("-12.214").value() == -12.214);
  BOOST_TEST(parseDoubleText("+1.5E-3").value() == 0.0015);
  BOOST_TEST(parseDoubleText("5.").value() == 5.0);
  BOOST_TEST(formatDouble(-12.214) == "-12.214");
  BOOST_TEST(formatDouble(0.1) == "0.1");
  BOOST_TEST(formatDouble(-0.0) == "-0.0");
  BOOST_TEST(formatDouble(1e15) == "1000000000000000.0");
  // The longest outputs round-trip through the parser.
  for (double d : {std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::min(), 1.0 / 3.0}) {
    BOOST_TEST(parseDoubleText(formatDouble(d)).value() == d);
  }
}

BOOST_AUTO_TEST_CASE(method_names_and_dates) {
  BOOST_TEST(isMethodName("system.listMethods"));
  BOOST_TEST(isMethodName("a/b:c_D.9"));
  BOOST_TEST(!isMethodName("a-b"));
  BOOST_TEST(!isMethodName("a\xC3\xBC"));
  BOOST_TEST(isDateTimeText("19980717T14:08:55"));
  BOOST_TEST(isDateTimeText("2024-01-31T09:00:00.250+01:00"));
  BOOST_TEST(!isDateTimeText("19980717 T14"));
}

BOOST_AUTO_TEST_CASE(xml_characters) {
  BOOST_TEST(findInvalidXmlText("plain\t\n\r text \xE2\x82\xAC") == std::string_view::npos);
  BOOST_TEST(findInvalidXmlText("ab\x7F") == std::string_view::npos);  // DEL is a Char
  BOOST_TEST(findInvalidXmlText("ab\x0B") == 2U);
  BOOST_TEST(findInvalidXmlText("ab\xE2\x82") == 2U);    // truncated sequence
  BOOST_TEST(findInvalidXmlText("\xEF\xBF\xBF") == 0U);  // U+FFFF
  BOOST_TEST(sanitizeXmlText("a\x01z\xFF") == "a\xEF\xBF\xBDz\xEF\xBF\xBD");
  BOOST_TEST(clipText("ab\xE2\x82\xAC", 3) == "ab");
  BOOST_TEST(clipText("abc", 3) == "abc");
}

BOOST_AUTO_TEST_SUITE_END()
