#include <boost/test/unit_test.hpp>

#include "b2bua/Registrar.h"
#include "sip/msg/SipMessage.h"

using namespace callgate;
using namespace std::chrono_literals;

namespace {
sip::SipMessage reg(const std::string& contact, const std::string& expires, int cseq = 1,
                    const std::string& callId = "reg-1") {
  auto r = sip::SipMessage::parse(
      "REGISTER sip:callgate.example SIP/2.0\r\nVia: SIP/2.0/WSS x.invalid;branch=z9hG4bKr\r\n"
      "Max-Forwards: 70\r\nTo: <sip:web@callgate.example>\r\nFrom: "
      "<sip:web@callgate.example>;tag=1\r\n"
      "Call-ID: " +
      callId + "\r\nCSeq: " + std::to_string(cseq) + " REGISTER\r\nContact: " + contact + "\r\n" +
      (expires.empty() ? "" : "Expires: " + expires + "\r\n") + "Content-Length: 0\r\n\r\n");
  return *r.message;
}
const auto kSource = *net::SocketAddress::parse("198.51.100.3:51000");
}  // namespace

BOOST_AUTO_TEST_SUITE(registrar)

BOOST_AUTO_TEST_CASE(binding_lives_until_expiry_and_remembers_the_connection) {
  core::FakeClock clock;
  core::TimerQueue timers(clock);
  b2bua::Registrar r(timers, {});
  const auto result = r.handleRegister(reg("<sip:abc@x.invalid;transport=ws>", "300"),
                                       sip::TransportKind::Wss, kSource, 7);
  BOOST_TEST(result.status == 200);
  BOOST_TEST(result.contactHeaders.at(0) == "<sip:abc@x.invalid;transport=ws>;expires=300");
  auto found = r.lookup("web");
  BOOST_REQUIRE(found.size() == 1U);
  BOOST_TEST(found[0]->connection == 7U);
  clock.advance(301s);
  BOOST_TEST(r.lookup("web").empty());
}

BOOST_AUTO_TEST_CASE(too_brief_interval_gets_423) {
  core::FakeClock clock;
  core::TimerQueue timers(clock);
  b2bua::Registrar r(timers, {});
  const auto result =
      r.handleRegister(reg("<sip:abc@x.invalid>", "10"), sip::TransportKind::Udp, kSource, 0);
  BOOST_TEST(result.status == 423);
  BOOST_TEST(result.minExpires.value() == 60U);
}

BOOST_AUTO_TEST_CASE(expires_zero_and_connection_close_remove_bindings) {
  core::FakeClock clock;
  core::TimerQueue timers(clock);
  b2bua::Registrar r(timers, {});
  r.handleRegister(reg("<sip:a@x.invalid>", "600"), sip::TransportKind::Ws, kSource, 3);
  r.handleRegister(reg("<sip:a@x.invalid>", "0", 2), sip::TransportKind::Ws, kSource, 3);
  BOOST_TEST(r.lookup("web").empty());
  r.handleRegister(reg("<sip:b@x.invalid>", "600", 3), sip::TransportKind::Ws, kSource, 4);
  r.onConnectionClosed(4);
  BOOST_TEST(r.size() == 0U);
}

BOOST_AUTO_TEST_CASE(stale_refresh_and_bad_wildcard_are_refused) {
  core::FakeClock clock;
  core::TimerQueue timers(clock);
  b2bua::Registrar r(timers, {});
  r.handleRegister(reg("<sip:a@x.invalid>", "600", 5), sip::TransportKind::Udp, kSource, 0);
  BOOST_TEST(
      r.handleRegister(reg("<sip:a@x.invalid>", "600", 4), sip::TransportKind::Udp, kSource, 0)
          .status == 500);
  BOOST_TEST(r.handleRegister(reg("*", "600", 6), sip::TransportKind::Udp, kSource, 0).status ==
             400);
  BOOST_TEST(r.handleRegister(reg("*", "0", 7), sip::TransportKind::Udp, kSource, 0).status == 200);
  BOOST_TEST(r.size() == 0U);
}

BOOST_AUTO_TEST_CASE(knows_which_connections_carry_a_live_binding) {
  core::FakeClock clock;
  core::TimerQueue timers(clock);
  b2bua::Registrar r(timers, {});
  BOOST_TEST(!r.hasBindingOn(7));
  r.handleRegister(reg("<sip:abc@x.invalid;transport=ws>", "300"), sip::TransportKind::Wss, kSource,
                   7);
  BOOST_TEST(r.hasBindingOn(7));
  BOOST_TEST(!r.hasBindingOn(8));
  BOOST_TEST(!r.hasBindingOn(0));
  clock.advance(301s);
  BOOST_TEST(!r.hasBindingOn(7));  // expired
  r.handleRegister(reg("<sip:abc@x.invalid;transport=ws>", "300", 2), sip::TransportKind::Wss,
                   kSource, 7);
  r.onConnectionClosed(7);
  BOOST_TEST(!r.hasBindingOn(7));
}

BOOST_AUTO_TEST_SUITE_END()
