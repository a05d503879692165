#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/test/unit_test.hpp>
#include <set>

#include "media/engine/PortAllocator.h"

using namespace callgate::media::engine;

namespace {

uint16_t boundPort(int fd) {
  sockaddr_in a{};
  socklen_t length = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
  return ntohs(a.sin_port);
}

// A range of ports free right now, away from the ephemeral range.
uint16_t freeBase() {
  for (uint16_t base = 21000; base < 30000; base += 100) {
    PortAllocator probe(base, static_cast<uint16_t>(base + 9));
    std::vector<UdpPortPair> held;
    std::string error;
    for (int i = 0; i < 5; ++i) {
      auto pair = probe.allocate("127.0.0.1", &error);
      if (!pair) break;
      held.push_back(std::move(*pair));
    }
    if (held.size() == 5) return base;
  }
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(port_allocator)

BOOST_AUTO_TEST_CASE(pairs_are_even_odd_bound_and_distinct) {
  const uint16_t base = freeBase();
  BOOST_TEST_REQUIRE(base != 0);
  PortAllocator allocator(static_cast<uint16_t>(base + 1), static_cast<uint16_t>(base + 9));
  BOOST_TEST(allocator.minPort() == base + 2);  // rounded up to even
  std::vector<UdpPortPair> pairs;
  std::set<uint16_t> ports;
  std::string error;
  for (int i = 0; i < 4; ++i) {
    auto pair = allocator.allocate("127.0.0.1", &error);
    BOOST_TEST_REQUIRE(pair.has_value(), error);
    BOOST_TEST(pair->rtpPort() % 2 == 0);
    BOOST_TEST(boundPort(pair->rtpFd()) == pair->rtpPort());
    BOOST_TEST(boundPort(pair->rtcpFd()) == pair->rtpPort() + 1);
    BOOST_TEST(ports.insert(pair->rtpPort()).second);
    pairs.push_back(std::move(*pair));
  }
  // base+2 .. base+9 holds four pairs: the fifth request fails with a reason.
  auto none = allocator.allocate("127.0.0.1", &error);
  BOOST_TEST(!none.has_value());
  BOOST_TEST(error.find("no free RTP port pair") != std::string::npos);
  // Freed pairs are found again.
  pairs.pop_back();
  BOOST_TEST(allocator.allocate("127.0.0.1", &error).has_value());
}

BOOST_AUTO_TEST_CASE(ports_in_use_by_others_are_skipped) {
  const uint16_t base = freeBase();
  BOOST_TEST_REQUIRE(base != 0);
  PortAllocator first(base, static_cast<uint16_t>(base + 1));
  std::string error;
  auto taken = first.allocate("127.0.0.1", &error);
  BOOST_TEST_REQUIRE(taken.has_value());
  PortAllocator second(base, static_cast<uint16_t>(base + 3));
  auto pair = second.allocate("127.0.0.1", &error);
  BOOST_TEST_REQUIRE(pair.has_value());
  BOOST_TEST(pair->rtpPort() == base + 2);
}

BOOST_AUTO_TEST_CASE(bad_addresses_are_reported) {
  PortAllocator allocator(20000, 20010);
  std::string error;
  BOOST_TEST(!allocator.allocate("eth0", &error).has_value());
  BOOST_TEST(error == "not an IP address: eth0");
  BOOST_TEST(!allocator.allocate("192.0.2.1", &error).has_value());  // not ours
  BOOST_TEST(error.find("cannot bind RTP") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(ipv6_loopback_works) {
  PortAllocator allocator(32000, 32999);
  std::string error;
  auto pair = allocator.allocate("::1", &error);
  BOOST_TEST(pair.has_value(), error);
}

BOOST_AUTO_TEST_SUITE_END()
