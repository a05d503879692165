#include <boost/test/unit_test.hpp>

#include "TxnFixture.h"

using namespace callgate;
using namespace callgate::sip;
using namespace callgate::sip::test;
using namespace std::chrono_literals;

namespace {

OutgoingRequest outgoing(Method method) {
  OutgoingRequest r;
  r.method = method;
  r.requestUri = "sip:agent@198.51.100.20";
  r.headers = {{"Max-Forwards", "70"},
               {"From", "<sip:alice@192.0.2.100>;tag=a1"},
               {"To", "<sip:agent@198.51.100.20>"},
               {"Call-ID", "out-1"},
               {"CSeq", std::string("5 ") + std::string(methodName(method))}};
  return r;
}

OutboundTarget udpTarget() {
  return OutboundTarget{
      TransportKind::Udp, *net::SocketAddress::parse("198.51.100.20:5060"), 0, {}};
}

std::string responseTo(const Sent& request, int status, const std::string& toTag = "b1") {
  const auto m = request.message();
  return makeResponse(m, status, {}, toTag).serialize();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_transactions)

BOOST_AUTO_TEST_CASE(invite_over_udp_retransmits_with_timer_a_and_times_out_at_64_t1) {
  TxnFixture f;
  RecordingListener listener;
  f.layer.sendRequest(outgoing(Method::Invite), udpTarget(), listener);
  f.advance(31900ms);
  BOOST_TEST(f.sentTimesMs() == (std::vector<long>{0, 500, 1500, 3500, 7500, 15500, 31500}),
             boost::test_tools::per_element());
  BOOST_TEST(listener.timeouts == 0);
  f.advance(200ms);
  BOOST_TEST(listener.timeouts == 1);
}

BOOST_AUTO_TEST_CASE(invite_over_tcp_is_not_retransmitted) {
  TxnFixture f;
  RecordingListener listener;
  auto target = udpTarget();
  target.kind = TransportKind::Tcp;
  f.layer.sendRequest(outgoing(Method::Invite), target, listener);
  f.advance(33s);
  BOOST_TEST(f.sender.sent.size() == 1U);
  BOOST_TEST(listener.timeouts == 1);
}

BOOST_AUTO_TEST_CASE(non_invite_timer_e_is_capped_at_t2) {
  TxnFixture f;
  RecordingListener listener;
  f.layer.sendRequest(outgoing(Method::Options), udpTarget(), listener);
  f.advance(20s);
  const auto t = f.sentTimesMs();
  BOOST_TEST((std::vector<long>(t.begin(), t.begin() + 7)) ==
                 (std::vector<long>{0, 500, 1500, 3500, 7500, 11500, 15500}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(provisional_stops_invite_retransmission) {
  TxnFixture f;
  RecordingListener listener;
  f.layer.sendRequest(outgoing(Method::Invite), udpTarget(), listener);
  f.receive(responseTo(f.sender.sent[0], 180), TransportKind::Udp, "198.51.100.20:5060");
  f.advance(60s);
  BOOST_TEST(f.sender.sent.size() == 1U);
  BOOST_TEST(listener.statuses == (std::vector<int>{180}), boost::test_tools::per_element());
  BOOST_TEST(listener.timeouts == 0);
}

BOOST_AUTO_TEST_CASE(non_2xx_final_is_acked_by_the_transaction) {
  TxnFixture f;
  RecordingListener listener;
  f.layer.sendRequest(outgoing(Method::Invite), udpTarget(), listener);
  const auto invite = f.sender.sent[0].message();
  f.receive(responseTo(f.sender.sent[0], 486, "busy"), TransportKind::Udp, "198.51.100.20:5060");
  BOOST_REQUIRE(f.sender.sent.size() == 2U);
  const auto ack = f.sender.sent[1].message();
  BOOST_TEST(ack.method() == Method::Ack);
  BOOST_TEST(ack.topVia()->branch() == invite.topVia()->branch());
  BOOST_TEST(ack.to()->tag() == "busy");
  BOOST_TEST(ack.cseq()->number == 5U);
  // A retransmitted 486 is answered with the same ACK; the user hears once.
  f.receive(responseTo(f.sender.sent[0], 486, "busy"), TransportKind::Udp, "198.51.100.20:5060");
  BOOST_TEST(f.sender.sent.size() == 3U);
  BOOST_TEST(listener.statuses == (std::vector<int>{486}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retransmitted_2xx_goes_to_the_dialog_layer) {
  TxnFixture f;
  RecordingListener listener;
  f.layer.sendRequest(outgoing(Method::Invite), udpTarget(), listener);
  f.receive(responseTo(f.sender.sent[0], 200), TransportKind::Udp, "198.51.100.20:5060");
  f.receive(responseTo(f.sender.sent[0], 200), TransportKind::Udp, "198.51.100.20:5060");
  BOOST_TEST(listener.statuses == (std::vector<int>{200}), boost::test_tools::per_element());
  BOOST_TEST(f.user.strays == (std::vector<int>{200}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cancel_waits_for_a_provisional_response) {
  TxnFixture f;
  RecordingListener listener;
  const auto id = f.layer.sendRequest(outgoing(Method::Invite), udpTarget(), listener);
  f.layer.cancel(id);
  BOOST_TEST(f.sender.sent.size() == 1U);
  f.receive(responseTo(f.sender.sent[0], 180), TransportKind::Udp, "198.51.100.20:5060");
  BOOST_REQUIRE(f.sender.sent.size() == 2U);
  const auto cancel = f.sender.sent[1].message();
  const auto invite = f.sender.sent[0].message();
  BOOST_TEST(cancel.method() == Method::Cancel);
  BOOST_TEST(cancel.topVia()->branch() == invite.topVia()->branch());
  BOOST_TEST(cancel.cseq()->number == invite.cseq()->number);
  BOOST_TEST(cancel.requestUri() == invite.requestUri());
}

BOOST_AUTO_TEST_CASE(send_failure_is_reported_as_transport_error) {
  TxnFixture f;
  RecordingListener listener;
  f.sender.status = SendStatus::Failed;
  f.layer.sendRequest(outgoing(Method::Invite), udpTarget(), listener);
  f.advance(10ms);
  BOOST_TEST(listener.errors == 1);
}

BOOST_AUTO_TEST_CASE(abandoned_transaction_stays_silent) {
  TxnFixture f;
  RecordingListener listener;
  const auto id = f.layer.sendRequest(outgoing(Method::Invite), udpTarget(), listener);
  f.layer.abandon(id);
  f.advance(40s);
  BOOST_TEST(listener.timeouts == 0);
}

BOOST_AUTO_TEST_SUITE_END()
