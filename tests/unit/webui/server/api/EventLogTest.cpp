#include <boost/test/unit_test.hpp>

#include "api/EventLog.h"

using callgate::mgmt::api::Event;
using callgate::mgmt::api::EventLog;

namespace {
std::vector<uint64_t> ids(const std::vector<Event>& events) {
  std::vector<uint64_t> out;
  for (const auto& e : events) out.push_back(e.id);
  return out;
}
EventLog::Now fixedTime() {
  return [] { return std::string("2026-11-30T01:02:03Z"); };
}
}  // namespace

BOOST_AUTO_TEST_SUITE(event_log)

BOOST_AUTO_TEST_CASE(records_in_order_with_ids_and_time) {
  EventLog log(10, fixedTime());
  BOOST_TEST(log.lastId() == 0U);
  log.record("login", "admin", "127.0.0.1", "logged in");
  log.record("login_failed", "eve", "192.0.2.9", "wrong user name or password");
  const auto all = log.after(0, 100);
  BOOST_REQUIRE_EQUAL(all.size(), 2U);
  BOOST_TEST(all[0].id == 1U);
  BOOST_TEST(all[0].type == "login");
  BOOST_TEST(all[0].actor == "admin");
  BOOST_TEST(all[0].at == "2026-11-30T01:02:03Z");
  BOOST_TEST(all[1].address == "192.0.2.9");
  BOOST_TEST(log.lastId() == 2U);
}

BOOST_AUTO_TEST_CASE(since_and_limit_give_the_newest_after_an_id) {
  EventLog log(100, fixedTime());
  for (int i = 0; i < 10; ++i) log.record("t", "", "", std::to_string(i));
  BOOST_TEST(ids(log.after(7, 100)) == (std::vector<uint64_t>{8, 9, 10}));
  BOOST_TEST(ids(log.after(0, 3)) == (std::vector<uint64_t>{8, 9, 10}));
  BOOST_TEST(ids(log.after(2, 2)) == (std::vector<uint64_t>{9, 10}));
  BOOST_TEST(log.after(10, 5).empty());
  BOOST_TEST(log.after(1000, 5).empty());
}

BOOST_AUTO_TEST_CASE(the_ring_is_bounded_and_ids_are_never_reused) {
  EventLog log(4, fixedTime());
  for (int i = 0; i < 10; ++i) log.record("t", "", "", "");
  BOOST_TEST(ids(log.after(0, 100)) == (std::vector<uint64_t>{7, 8, 9, 10}));
  log.record("t", "", "", "");
  BOOST_TEST(ids(log.after(0, 100)) == (std::vector<uint64_t>{8, 9, 10, 11}));
  BOOST_TEST(log.lastId() == 11U);
}

BOOST_AUTO_TEST_CASE(daemon_state_is_recorded_on_changes_only) {
  EventLog log(10, fixedTime());
  log.daemonSeen(false, "connect: No such file or directory");
  log.daemonSeen(false, "again");
  log.daemonSeen(true, "");
  log.daemonSeen(true, "");
  log.daemonSeen(false, "gone");
  const auto all = log.after(0, 10);
  BOOST_REQUIRE_EQUAL(all.size(), 3U);
  BOOST_TEST(all[0].type == "daemon_unreachable");
  BOOST_TEST(all[0].message.find("No such file") != std::string::npos);
  BOOST_TEST(all[1].type == "daemon_reachable");
  BOOST_TEST(all[2].type == "daemon_unreachable");
}

BOOST_AUTO_TEST_SUITE_END()
