#include <boost/test/unit_test.hpp>

#include "callme/ContextHeaders.h"

using namespace callgate::callme;

BOOST_AUTO_TEST_SUITE(callme_context_headers)

BOOST_AUTO_TEST_CASE(headers_in_documented_order_with_prefix) {
  TokenContext c{"C-1001", "O-77", {{"cart", "3 items"}, {"Tier", "gold"}}};
  const auto h = contextHeaders("X-Callme-", c, "https://shop.example/checkout?step=2",
                                "Checkout \xe2\x80\x93 Shop");
  const HeaderList expected{{"X-Callme-Customer-Id", "C-1001"},
                            {"X-Callme-Order-Id", "O-77"},
                            {"X-Callme-Page-Url", "https://shop.example/checkout?step=2"},
                            {"X-Callme-Page-Title", "Checkout \xe2\x80\x93 Shop"},
                            {"X-Callme-Data-cart", "3 items"},
                            {"X-Callme-Data-Tier", "gold"}};
  BOOST_TEST((h == expected));
  const auto other = contextHeaders("X-Shop-", TokenContext{"7", "", {}}, "", "");
  BOOST_TEST((other == HeaderList{{"X-Shop-Customer-Id", "7"}}));
}

BOOST_AUTO_TEST_CASE(injection_is_impossible) {
  TokenContext c{"1\r\nVia: SIP/2.0/UDP evil", std::string("a\0b\x7f\x1b[31m", 9), {}};
  c.customerId[1] = '\r';
  const auto h = contextHeaders("X-Callme-", c, "u\nrl", "ti\ttle");
  BOOST_REQUIRE(h.size() == 4U);
  BOOST_TEST(h[0].second == "1Via: SIP/2.0/UDP evil");
  BOOST_TEST(h[1].second == "ab[31m");
  BOOST_TEST(h[2].second == "url");
  BOOST_TEST(h[3].second == "ti tle");
}

BOOST_AUTO_TEST_CASE(values_are_cut_at_256_bytes_on_a_character_boundary) {
  BOOST_TEST(sanitizeHeaderValue(std::string(300, 'a')).size() == 256U);
  std::string euros;
  for (int i = 0; i < 100; ++i) euros += "\xe2\x82\xac";  // 3 bytes each
  const auto cut = sanitizeHeaderValue(euros);
  BOOST_TEST(cut.size() == 255U);  // 85 whole characters
  BOOST_TEST(cut.substr(252) == "\xe2\x82\xac");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_and_blanks_are_dropped) {
  BOOST_TEST(sanitizeHeaderValue("  a\xff"
                                 "b\xc0\xaf"
                                 "c\xed\xa0\x80"
                                 "d\xe2\x82  ") == "abcd");
  BOOST_TEST(sanitizeHeaderValue("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");
  BOOST_TEST(sanitizeHeaderValue(" \t\r\n ").empty());
}

BOOST_AUTO_TEST_CASE(keys_are_checked_and_at_most_16_are_sent) {
  BOOST_TEST(isValidContextKey("order-Ref-9"));
  BOOST_TEST(!isValidContextKey(""));
  BOOST_TEST(!isValidContextKey("a b"));
  BOOST_TEST(!isValidContextKey("a:b"));
  BOOST_TEST(!isValidContextKey("k\r\nVia"));
  BOOST_TEST(!isValidContextKey(std::string(33, 'k')));
  TokenContext c;
  c.data.emplace_back("bad key", "x");
  for (int i = 0; i < 20; ++i) c.data.emplace_back("k" + std::to_string(i), "v");
  const auto h = contextHeaders("X-Callme-", c, "", "");
  BOOST_REQUIRE(h.size() == 16U);
  BOOST_TEST(h.front().first == "X-Callme-Data-k0");
  BOOST_TEST(h.back().first == "X-Callme-Data-k15");
}

BOOST_AUTO_TEST_SUITE_END()
