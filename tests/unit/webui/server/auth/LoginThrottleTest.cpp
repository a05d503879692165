#include <boost/test/unit_test.hpp>

#include "auth/LoginThrottle.h"

using namespace callgate::mgmt::auth;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(login_throttle)

BOOST_AUTO_TEST_CASE(account_backs_off_exponentially_after_free_failures) {
  callgate::core::FakeClock clock;
  LoginThrottle t(clock, ThrottleParams{.freeAccountFailures = 3, .freeAddressFailures = 100});
  for (int i = 0; i < 2; ++i) {
    t.recordFailure("alice", "192.0.2.1");
    BOOST_TEST(t.retryAfter("alice", "192.0.2.1").count() == 0);
  }
  t.recordFailure("alice", "192.0.2.1");  // third: 1 s
  BOOST_TEST(t.retryAfter("alice", "192.0.2.1").count() == 1);
  // The account is blocked from any address; other accounts are not.
  BOOST_TEST(t.retryAfter("alice", "198.51.100.1").count() == 1);
  BOOST_TEST(t.retryAfter("bob", "192.0.2.1").count() == 0);
  clock.advance(1s);
  t.recordFailure("alice", "192.0.2.1");  // 2 s
  BOOST_TEST(t.retryAfter("alice", "x").count() == 2);
  clock.advance(2s);
  t.recordFailure("alice", "192.0.2.1");  // 4 s
  BOOST_TEST(t.retryAfter("alice", "x").count() == 4);
  clock.advance(1500ms);
  BOOST_TEST(t.retryAfter("alice", "x").count() == 3);  // rounded up
  t.recordSuccess("alice");
  BOOST_TEST(t.retryAfter("alice", "x").count() == 0);
}

BOOST_AUTO_TEST_CASE(address_is_throttled_across_accounts_and_delay_is_capped) {
  callgate::core::FakeClock clock;
  LoginThrottle t(
      clock,
      ThrottleParams{
          .freeAccountFailures = 100, .freeAddressFailures = 4, .baseDelay = 1s, .maxDelay = 10s});
  for (int i = 0; i < 4; ++i) t.recordFailure("user" + std::to_string(i), "203.0.113.5");
  BOOST_TEST(t.retryAfter("fresh-name", "203.0.113.5").count() == 1);
  BOOST_TEST(t.retryAfter("fresh-name", "203.0.113.6").count() == 0);
  for (int i = 0; i < 20; ++i) t.recordFailure("again", "203.0.113.5");
  BOOST_TEST(t.retryAfter("x", "203.0.113.5").count() == 10);
  // A success elsewhere does not reset the address.
  t.recordSuccess("again");
  BOOST_TEST(t.retryAfter("x", "203.0.113.5").count() == 10);
}

BOOST_AUTO_TEST_CASE(old_failures_are_forgiven) {
  callgate::core::FakeClock clock;
  LoginThrottle t(clock, ThrottleParams{.freeAccountFailures = 2, .forgetAfter = 600s});
  t.recordFailure("a", "h");
  clock.advance(601s);
  t.recordFailure("a", "h");  // the count restarted: still free
  BOOST_TEST(t.retryAfter("a", "h").count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
