#include <boost/test/unit_test.hpp>

#include "callme/CallLimiter.h"

using namespace callgate;
using namespace callgate::callme;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(callme_call_limiter)

BOOST_AUTO_TEST_CASE(concurrent_calls_per_button_until_released) {
  core::FakeClock clock;
  CallLimiter l(clock);
  const CallLimits limits{2, 100, 100};
  BOOST_TEST((l.tryAdmit(1, "sales", "192.0.2.1", limits) == LimitResult::Admitted));
  BOOST_TEST((l.tryAdmit(2, "sales", "192.0.2.2", limits) == LimitResult::Admitted));
  BOOST_TEST((l.tryAdmit(3, "sales", "192.0.2.3", limits) == LimitResult::ButtonBusy));
  BOOST_TEST((l.tryAdmit(4, "support", "192.0.2.3", limits) == LimitResult::Admitted));
  BOOST_TEST(l.activeForButton("sales") == 2U);
  l.release(1);
  l.release(1);   // twice: no effect
  l.release(99);  // never admitted: no effect
  BOOST_TEST(l.activeForButton("sales") == 1U);
  BOOST_TEST((l.tryAdmit(5, "sales", "192.0.2.3", limits) == LimitResult::Admitted));
}

BOOST_AUTO_TEST_CASE(per_ip_limit_spans_buttons) {
  core::FakeClock clock;
  CallLimiter l(clock);
  const CallLimits limits{10, 100, 2};
  BOOST_TEST((l.tryAdmit(1, "sales", "198.51.100.7", limits) == LimitResult::Admitted));
  BOOST_TEST((l.tryAdmit(2, "support", "198.51.100.7", limits) == LimitResult::Admitted));
  BOOST_TEST((l.tryAdmit(3, "sales", "198.51.100.7", limits) == LimitResult::IpBusy));
  BOOST_TEST((l.tryAdmit(4, "sales", "198.51.100.8", limits) == LimitResult::Admitted));
  l.release(2);
  BOOST_TEST(l.activeForIp("198.51.100.7") == 1U);
  BOOST_TEST((l.tryAdmit(5, "sales", "198.51.100.7", limits) == LimitResult::Admitted));
  l.release(1);
  l.release(4);
  l.release(5);
  BOOST_TEST(l.activeForIp("198.51.100.7") == 0U);
  BOOST_TEST(l.activeCalls() == 0U);
}

BOOST_AUTO_TEST_CASE(per_minute_rate_is_a_sliding_window) {
  core::FakeClock clock;
  CallLimiter l(clock);
  const CallLimits limits{100, 3, 100};
  uint64_t id = 1;
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST((l.tryAdmit(id, "sales", "192.0.2.1", limits) == LimitResult::Admitted));
    l.release(id++);  // ended calls still count for the minute
    clock.advance(10s);
  }
  BOOST_TEST((l.tryAdmit(id++, "sales", "192.0.2.1", limits) == LimitResult::ButtonRate));
  clock.advance(29s);  // 59 s after the first
  BOOST_TEST((l.tryAdmit(id++, "sales", "192.0.2.1", limits) == LimitResult::ButtonRate));
  clock.advance(1s);  // the first is a minute old
  BOOST_TEST((l.tryAdmit(id++, "sales", "192.0.2.1", limits) == LimitResult::Admitted));
  BOOST_TEST((l.tryAdmit(id++, "sales", "192.0.2.1", limits) == LimitResult::ButtonRate));
}

BOOST_AUTO_TEST_CASE(refusals_do_not_count) {
  core::FakeClock clock;
  CallLimiter l(clock);
  const CallLimits limits{1, 2, 100};
  BOOST_TEST((l.tryAdmit(1, "sales", "192.0.2.1", limits) == LimitResult::Admitted));
  for (uint64_t i = 2; i < 10; ++i) {
    BOOST_TEST((l.tryAdmit(i, "sales", "192.0.2.1", limits) == LimitResult::ButtonBusy));
  }
  l.release(1);
  BOOST_TEST((l.tryAdmit(10, "sales", "192.0.2.1", limits) == LimitResult::Admitted));
}

BOOST_AUTO_TEST_SUITE_END()
