#include <boost/test/unit_test.hpp>

#include "auth/SessionStore.h"

using namespace callgate::mgmt::auth;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(session_store)

BOOST_AUTO_TEST_CASE(ids_and_csrf_tokens_are_256_bit_and_distinct) {
  callgate::core::FakeClock clock;
  SessionStore store(clock, 1800s);
  const auto a = store.create("alice", Role::Admin, false);
  const auto b = store.create("alice", Role::Admin, false);
  BOOST_TEST(a.id.size() == 64U);  // 32 bytes in hex
  BOOST_TEST(a.csrfToken.size() == 64U);
  BOOST_TEST(a.id != b.id);
  BOOST_TEST(a.id != a.csrfToken);
  BOOST_TEST(store.touch(a.id)->user == "alice");
  BOOST_TEST(!store.touch("not-a-session"));
  BOOST_TEST(!store.touch(""));
}

BOOST_AUTO_TEST_CASE(idle_timeout_restarts_on_each_use) {
  callgate::core::FakeClock clock;
  SessionStore store(clock, 60s);
  const auto s = store.create("alice", Role::ReadOnly, false);
  clock.advance(59s);
  BOOST_TEST(store.touch(s.id).has_value());
  clock.advance(59s);
  BOOST_TEST(store.touch(s.id).has_value());
  clock.advance(60s);
  BOOST_TEST(!store.touch(s.id));
  BOOST_TEST(store.size() == 0U);
}

BOOST_AUTO_TEST_CASE(remove_user_keeps_the_current_session_and_update_applies) {
  callgate::core::FakeClock clock;
  SessionStore store(clock, 600s);
  const auto keep = store.create("bob", Role::Admin, true);
  const auto other = store.create("bob", Role::Admin, true);
  const auto carol = store.create("carol", Role::Admin, false);
  store.removeUser("bob", keep.id);
  BOOST_TEST(store.touch(keep.id).has_value());
  BOOST_TEST(!store.touch(other.id));
  BOOST_TEST(store.touch(carol.id).has_value());
  store.updateUser("bob", Role::ReadOnly, false);
  const auto now = store.touch(keep.id);
  BOOST_TEST((now->role == Role::ReadOnly));
  BOOST_TEST(!now->mustChangePassword);
  store.remove(keep.id);
  BOOST_TEST(!store.touch(keep.id));
}

BOOST_AUTO_TEST_CASE(full_store_drops_the_least_recently_used) {
  callgate::core::FakeClock clock;
  SessionStore store(clock, 600s, 2);
  const auto a = store.create("a", Role::Admin, false);
  clock.advance(1s);
  const auto b = store.create("b", Role::Admin, false);
  clock.advance(1s);
  store.touch(a.id);  // b is now the least recently used
  const auto c = store.create("c", Role::Admin, false);
  BOOST_TEST(store.touch(a.id).has_value());
  BOOST_TEST(!store.touch(b.id));
  BOOST_TEST(store.touch(c.id).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
