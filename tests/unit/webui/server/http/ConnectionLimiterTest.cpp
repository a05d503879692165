#include <boost/test/unit_test.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "http/ClientLogGate.h"
#include "http/ConnectionLimiter.h"

using namespace callgate::mgmt::http;
using namespace std::chrono_literals;
using Poco::Net::IPAddress;

namespace {
// What the gate says for `client`: -1 when it holds the line back.
long long heldBack(ClientLogGate& gate, const std::string& client) {
  const auto n = gate.allow(client);
  return n ? static_cast<long long>(*n) : -1;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(connection_limiter)

BOOST_AUTO_TEST_CASE(counts_each_client_up_to_the_cap_and_frees_on_destruction) {
  ConnectionLimiter limiter(3);
  std::vector<ConnectionLimiter::Slot> held;
  for (int i = 0; i < 3; ++i) {
    auto slot = limiter.acquire("192.0.2.1");
    BOOST_REQUIRE(slot.has_value());
    held.push_back(std::move(*slot));
  }
  BOOST_TEST(limiter.count("192.0.2.1") == 3U);
  // The fourth is refused, and a refusal counts nothing.
  BOOST_TEST(!limiter.acquire("192.0.2.1").has_value());
  BOOST_TEST(limiter.count("192.0.2.1") == 3U);
  // Other clients have their own count.
  auto other = limiter.acquire("192.0.2.2");
  BOOST_TEST(other.has_value());
  BOOST_TEST(limiter.count("192.0.2.2") == 1U);
  BOOST_TEST(limiter.clients() == 2U);
  // Closing one connection lets the next in.
  held.pop_back();
  BOOST_TEST(limiter.count("192.0.2.1") == 2U);
  BOOST_TEST(limiter.acquire("192.0.2.1").has_value());  // and gone again at once
  BOOST_TEST(limiter.count("192.0.2.1") == 2U);
  held.clear();
  other.reset();
  BOOST_TEST(limiter.count("192.0.2.1") == 0U);
  BOOST_TEST(limiter.clients() == 0U);  // no zero entries are kept
}

BOOST_AUTO_TEST_CASE(a_moved_slot_is_released_once) {
  ConnectionLimiter limiter(2);
  {
    auto first = limiter.acquire("a");
    BOOST_REQUIRE(first.has_value());
    ConnectionLimiter::Slot moved(std::move(*first));
    first.reset();  // the moved-from slot releases nothing
    BOOST_TEST(limiter.count("a") == 1U);
    BOOST_TEST(moved.client() == "a");
  }
  BOOST_TEST(limiter.count("a") == 0U);
  // Assigning over a slot releases what it held.
  auto x = limiter.acquire("x");
  auto y = limiter.acquire("y");
  BOOST_REQUIRE(x.has_value() && y.has_value());
  *x = std::move(*y);
  BOOST_TEST(limiter.count("x") == 0U);
  BOOST_TEST(limiter.count("y") == 1U);
  y.reset();
  BOOST_TEST(limiter.count("y") == 1U);
  x.reset();
  BOOST_TEST(limiter.clients() == 0U);
}

BOOST_AUTO_TEST_CASE(cap_holds_under_concurrent_acquires) {
  ConnectionLimiter limiter(5);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  std::vector<std::optional<ConnectionLimiter::Slot>> slots(16);
  for (size_t i = 0; i < slots.size(); ++i) {
    threads.emplace_back([&, i] {
      slots[i] = limiter.acquire("198.51.100.7");
      if (slots[i]) ++admitted;
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(admitted.load() == 5);
  BOOST_TEST(limiter.count("198.51.100.7") == 5U);
  slots.clear();
  BOOST_TEST(limiter.count("198.51.100.7") == 0U);
}

BOOST_AUTO_TEST_CASE(a_cap_of_zero_admits_nobody) {
  ConnectionLimiter limiter(0);
  BOOST_TEST(!limiter.acquire("a").has_value());
  BOOST_TEST(limiter.clients() == 0U);
}

BOOST_AUTO_TEST_CASE(client_key_is_the_ipv4_address_or_the_ipv6_64) {
  BOOST_TEST(ConnectionLimiter::clientKey(IPAddress("127.0.0.2")) == "127.0.0.2");
  BOOST_TEST(ConnectionLimiter::clientKey(IPAddress("::ffff:192.0.2.33")) == "192.0.2.33");
  // Two addresses of one /64 are one client; another /64 is another.
  const auto a = ConnectionLimiter::clientKey(IPAddress("2001:db8:1:2:a:b:c:d"));
  BOOST_TEST(a == "2001:db8:1:2::/64");
  BOOST_TEST(ConnectionLimiter::clientKey(IPAddress("2001:db8:1:2:ffff::1")) == a);
  BOOST_TEST(ConnectionLimiter::clientKey(IPAddress("2001:db8:1:3::1")) == "2001:db8:1:3::/64");
  BOOST_TEST(ConnectionLimiter::clientKey(IPAddress("::1")) == "::/64");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_log_gate)

BOOST_AUTO_TEST_CASE(one_line_per_client_per_interval_with_the_count_held_back) {
  callgate::core::FakeClock clock;
  ClientLogGate gate(clock, 10s);
  BOOST_TEST(heldBack(gate, "192.0.2.1") == 0);
  for (int i = 0; i < 7; ++i) {
    clock.advance(1s);
    BOOST_TEST(!gate.allow("192.0.2.1").has_value());
  }
  // Another client is not held back by the first.
  BOOST_TEST(heldBack(gate, "192.0.2.2") == 0);
  clock.advance(3s);  // 10 s after the first line
  BOOST_TEST(heldBack(gate, "192.0.2.1") == 7);
  BOOST_TEST(!gate.allow("192.0.2.1").has_value());
  clock.advance(10s);
  BOOST_TEST(heldBack(gate, "192.0.2.1") == 1);
}

BOOST_AUTO_TEST_CASE(memory_is_bounded_under_a_spray_of_clients) {
  callgate::core::FakeClock clock;
  ClientLogGate gate(clock, 10s, 4);
  for (int i = 0; i < 4; ++i) BOOST_TEST(gate.allow("c" + std::to_string(i)).has_value());
  // Full within one interval: a fifth client still gets its line (the table
  // starts over rather than growing).
  BOOST_TEST(gate.allow("c4").has_value());
  BOOST_TEST(!gate.allow("c4").has_value());
  // Old entries are pruned first once their interval has passed.
  clock.advance(11s);
  for (int i = 5; i < 9; ++i) BOOST_TEST(gate.allow("c" + std::to_string(i)).has_value());
  BOOST_TEST(gate.allow("c4").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
