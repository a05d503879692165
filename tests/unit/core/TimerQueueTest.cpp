#include <boost/test/unit_test.hpp>
#include <vector>

#include "core/TimerQueue.h"

using namespace callgate::core;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(timer_queue)

BOOST_AUTO_TEST_CASE(fires_in_due_order_only_when_due) {
  FakeClock clock;
  TimerQueue timers(clock);
  std::vector<int> fired;
  timers.schedule(300ms, [&] { fired.push_back(3); });
  timers.schedule(100ms, [&] { fired.push_back(1); });
  timers.schedule(200ms, [&] { fired.push_back(2); });
  BOOST_TEST(timers.runDue() == 0U);
  clock.advance(150ms);
  BOOST_TEST(timers.runDue() == 1U);
  clock.advance(1s);
  timers.runDue();
  BOOST_TEST(fired == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cancelled_timer_never_fires) {
  FakeClock clock;
  TimerQueue timers(clock);
  bool fired = false;
  const auto id = timers.schedule(10ms, [&] { fired = true; });
  BOOST_TEST(timers.cancel(id));
  BOOST_TEST(!timers.cancel(id));
  clock.advance(1s);
  timers.runDue();
  BOOST_TEST(!fired);
  BOOST_TEST(!timers.timeUntilNext().has_value());
}

BOOST_AUTO_TEST_CASE(reports_time_until_next) {
  FakeClock clock;
  TimerQueue timers(clock);
  timers.schedule(500ms, [] {});
  clock.advance(200ms);
  BOOST_TEST(timers.timeUntilNext().value() == Duration(300ms));
  clock.advance(1s);
  BOOST_TEST(timers.timeUntilNext().value() == Duration::zero());
}

BOOST_AUTO_TEST_CASE(zero_delay_timer_scheduled_from_callback_runs_in_same_pass) {
  FakeClock clock;
  TimerQueue timers(clock);
  int count = 0;
  timers.schedule(0ms, [&] {
    ++count;
    timers.schedule(0ms, [&] { ++count; });
  });
  timers.runDue();
  BOOST_TEST(count == 2);
}

BOOST_AUTO_TEST_SUITE_END()
