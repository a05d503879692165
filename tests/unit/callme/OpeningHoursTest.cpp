#include <boost/test/unit_test.hpp>

#include "callme/OpeningHours.h"

using namespace callgate::callme;
using namespace std::chrono;

namespace {
system_clock::time_point at(int64_t unix) {
  return system_clock::time_point(seconds(unix));
}
int minute(int h, int m) {
  return h * 60 + m;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(callme_opening_hours)

BOOST_AUTO_TEST_CASE(empty_is_always_open) {
  const auto h = OpeningHours::parse("  ");
  BOOST_REQUIRE(h.has_value());
  BOOST_TEST(h->alwaysOpen());
  BOOST_TEST(h->isOpenAt(6, 0));
}

BOOST_AUTO_TEST_CASE(weekly_rules) {
  const auto h = OpeningHours::parse("mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00");
  BOOST_REQUIRE(h.has_value());
  BOOST_TEST(!h->alwaysOpen());
  BOOST_TEST(!h->isOpenAt(0, minute(8, 59)));
  BOOST_TEST(h->isOpenAt(0, minute(9, 0)));
  BOOST_TEST(!h->isOpenAt(2, minute(12, 30)));
  BOOST_TEST(h->isOpenAt(4, minute(17, 59)));
  BOOST_TEST(!h->isOpenAt(4, minute(18, 0)));  // the end is exclusive
  BOOST_TEST(h->isOpenAt(5, minute(10, 0)));
  BOOST_TEST(!h->isOpenAt(5, minute(14, 0)));
  BOOST_TEST(!h->isOpenAt(6, minute(11, 0)));
}

BOOST_AUTO_TEST_CASE(day_lists_wrap_and_midnight) {
  const auto h = OpeningHours::parse("FRI-mon 22:00-24:00; wed,sun 00:00-01:00");
  BOOST_REQUIRE(h.has_value());
  for (int d : {4, 5, 6, 0}) BOOST_TEST(h->isOpenAt(d, minute(23, 59)));
  BOOST_TEST(!h->isOpenAt(1, minute(23, 0)));
  BOOST_TEST(h->isOpenAt(2, minute(0, 30)));
  BOOST_TEST(h->isOpenAt(6, minute(0, 30)));
  BOOST_TEST(!h->isOpenAt(3, minute(0, 30)));
}

BOOST_AUTO_TEST_CASE(errors_say_what_is_wrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"mon-fry 09:00-18:00", "days 'mon-fry'"},
      {"mon 9:00-18:00", "times '9:00-18:00'"},
      {"mon 18:00-09:00", "the end must be after the start"},
      {"mon 09:00-24:01", "times"},
      {"mon 09:60-10:00", "times"},
      {"mon", "needs days and times"},
      {"mon 09:00-10:00;", "empty rule"},
  };
  for (const auto& [text, message] : cases) {
    std::string error;
    BOOST_TEST_INFO(text);
    BOOST_TEST(!OpeningHours::parse(text, &error));
    BOOST_TEST(error.find(message) != std::string::npos, error);
  }
  BOOST_TEST(!OpeningHours::parse(std::string(1025, ' ')));
}

BOOST_AUTO_TEST_CASE(is_open_in_the_zone_of_the_button) {
  const auto h = OpeningHours::parse("mon-fri 09:00-18:00");
  BOOST_REQUIRE(h.has_value());
  // 2026-11-30 is a Monday; 08:30 UTC is 09:30 in Berlin (CET, +1).
  const int64_t monday0830utc = 1796027400;
  BOOST_TEST(!h->isOpen(at(monday0830utc), TimeZone::utc()));
  const auto berlin = TimeZone::load("Europe/Berlin");
  BOOST_REQUIRE(berlin.has_value());
  BOOST_TEST(h->isOpen(at(monday0830utc), *berlin));
  // 17:30 UTC is 18:30 in Berlin: closed there, open in UTC.
  BOOST_TEST(!h->isOpen(at(monday0830utc + 9 * 3600), *berlin));
  BOOST_TEST(h->isOpen(at(monday0830utc + 9 * 3600), TimeZone::utc()));
  // Sunday 23:30 UTC is already Monday 00:30 in Berlin, but Monday 08:00 is not 09:00.
  const auto early = OpeningHours::parse("mon 00:00-01:00");
  BOOST_TEST(early->isOpen(at(monday0830utc - 9 * 3600), *berlin));
  BOOST_TEST(!early->isOpen(at(monday0830utc - 9 * 3600), TimeZone::utc()));
}

BOOST_AUTO_TEST_SUITE_END()
