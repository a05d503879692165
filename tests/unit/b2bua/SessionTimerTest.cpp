#include <boost/test/unit_test.hpp>

#include "b2bua/SessionTimer.h"

using namespace callgate;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(session_timer)

BOOST_AUTO_TEST_CASE(parses_session_expires) {
  auto a = b2bua::parseSessionExpires("1800;refresher=uac");
  BOOST_TEST(a->seconds == 1800U);
  BOOST_TEST(a->refresher.value() == "uac");
  BOOST_TEST(!b2bua::parseSessionExpires("90 ; REFRESHER = UAS")->refresher->empty());
  BOOST_TEST(!b2bua::parseSessionExpires("abc").has_value());
  BOOST_TEST(!b2bua::parseSessionExpires("90;refresher=nobody").has_value());
}

BOOST_AUTO_TEST_CASE(we_refresh_at_half_the_interval) {
  core::FakeClock clock;
  core::TimerQueue timers(clock);
  b2bua::SessionTimer t;
  int refreshes = 0;
  t.start(
      timers, 120, b2bua::Refresher::Us, [&] { ++refreshes; }, [] {});
  clock.advance(59s);
  timers.runDue();
  BOOST_TEST(refreshes == 0);
  clock.advance(1s);
  timers.runDue();
  BOOST_TEST(refreshes == 1);
}

BOOST_AUTO_TEST_CASE(unrefreshed_session_expires_with_slack) {
  core::FakeClock clock;
  core::TimerQueue timers(clock);
  b2bua::SessionTimer t;
  bool expired = false;
  // 120 s interval: BYE at 120 - min(32, 40) = 88 s (RFC 4028 §10).
  t.start(
      timers, 120, b2bua::Refresher::Them, [] {}, [&] { expired = true; });
  clock.advance(87s);
  timers.runDue();
  BOOST_TEST(!expired);
  clock.advance(1s);
  timers.runDue();
  BOOST_TEST(expired);
}

BOOST_AUTO_TEST_SUITE_END()
