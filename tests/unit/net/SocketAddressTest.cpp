#include <boost/test/unit_test.hpp>

#include "net/SocketAddress.h"

using callgate::net::SocketAddress;

BOOST_AUTO_TEST_SUITE(socket_address)

BOOST_AUTO_TEST_CASE(parse_and_format) {
  BOOST_TEST(SocketAddress::parse("192.0.2.1:5060")->toString() == "192.0.2.1:5060");
  BOOST_TEST(SocketAddress::parse("[2001:db8::1]:5061")->toString() == "[2001:db8::1]:5061");
  BOOST_TEST(SocketAddress::parse("[::1]:1")->isLoopback());
  for (const char* bad :
       {"", "192.0.2.1", "192.0.2.1:", "192.0.2.1:70000", "host:5060", "::1:5060", "[::1]5060"}) {
    BOOST_TEST_INFO(bad);
    BOOST_TEST(!SocketAddress::parse(bad).has_value());
  }
}

BOOST_AUTO_TEST_CASE(equality_ignores_padding) {
  auto a = SocketAddress::fromIp("127.0.0.1", 5060);
  auto b = SocketAddress::parse("127.0.0.1:5060");
  BOOST_TEST((*a == *b));
  BOOST_TEST(a->hash() == b->hash());
}

BOOST_AUTO_TEST_SUITE_END()
