#include <boost/test/unit_test.hpp>
#include <map>

#include "core/Random.h"
#include "net/dns/SipServerLocator.h"

using namespace callgate;
using namespace callgate::net::dns;

BOOST_AUTO_TEST_SUITE(srv_order)

BOOST_AUTO_TEST_CASE(priority_is_strict) {
  core::FakeRandom random(3);
  const auto out = orderSrvRecords(
      {{20, 100, 1, "c"}, {10, 1, 2, "a"}, {10, 50, 3, "b"}, {30, 0, 4, "d"}}, random);
  BOOST_REQUIRE(out.size() == 4U);
  BOOST_TEST(out[0].priority == 10);
  BOOST_TEST(out[1].priority == 10);
  BOOST_TEST(out[2].target == "c");
  BOOST_TEST(out[3].target == "d");
}

BOOST_AUTO_TEST_CASE(weights_share_the_first_place) {
  core::FakeRandom random(11);
  std::map<std::string, int> first;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    first[orderSrvRecords({{10, 60, 1, "big"}, {10, 30, 1, "mid"}, {10, 10, 1, "small"}}, random)[0]
              .target]++;
  }
  BOOST_TEST(std::abs(first["big"] / double(draws) - 0.6) < 0.02);
  BOOST_TEST(std::abs(first["mid"] / double(draws) - 0.3) < 0.02);
  BOOST_TEST(std::abs(first["small"] / double(draws) - 0.1) < 0.02);
}

BOOST_AUTO_TEST_CASE(zero_weight_records_and_dot_targets) {
  core::FakeRandom random(5);
  auto out = orderSrvRecords({{10, 0, 1, "z1"}, {10, 0, 2, "z2"}}, random);
  BOOST_TEST(out.size() == 2U);
  BOOST_TEST(orderSrvRecords({{10, 0, 0, "."}}, random).empty());
}

BOOST_AUTO_TEST_CASE(naptr_selection_follows_order_preference_and_support) {
  std::vector<NaptrRecord> records{
      {50, 50, "s", "SIP+D2U", "_sip._udp.example.com"},
      {40, 50, "s", "SIP+D2T", "_sip._tcp.example.com"},
      {40, 10, "S", "SIPS+D2T", "_sips._tcp.example.com"},
      {10, 10, "s", "SIP+D2S", "_sip._sctp.example.com"},
      {10, 10, "u", "E2U+sip", "!^.*$!sip:info@example.com!"},
  };
  const std::vector<sip::TransportKind> all{sip::TransportKind::Udp, sip::TransportKind::Tcp,
                                            sip::TransportKind::Tls};
  const auto open = selectNaptr(records, false, all);
  BOOST_REQUIRE(open.size() == 3U);
  BOOST_TEST(open[0].srvName == "_sips._tcp.example.com");
  BOOST_TEST(open[1].srvName == "_sip._tcp.example.com");
  BOOST_TEST(open[2].srvName == "_sip._udp.example.com");
  const auto secure = selectNaptr(records, true, all);
  BOOST_REQUIRE(secure.size() == 1U);
  BOOST_TEST((secure[0].kind == sip::TransportKind::Tls));
  BOOST_TEST(selectNaptr(records, false, {sip::TransportKind::Udp}).size() == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
