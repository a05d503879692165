#include <boost/test/unit_test.hpp>
#include <set>

#include "core/Random.h"

using namespace callgate::core;

BOOST_AUTO_TEST_SUITE(random_tokens)

BOOST_AUTO_TEST_CASE(fake_random_is_reproducible) {
  FakeRandom a(42);
  FakeRandom b(42);
  BOOST_TEST(a.token(16) == b.token(16));
}

BOOST_AUTO_TEST_CASE(tokens_have_requested_length_and_alphabet) {
  auto& r = SystemRandom::instance();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto t = r.token(20);
    BOOST_TEST(t.size() == 20U);
    BOOST_TEST(
        t.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
        std::string::npos);
    seen.insert(t);
  }
  BOOST_TEST(seen.size() == 100U);
}

BOOST_AUTO_TEST_SUITE_END()
