#include <boost/test/unit_test.hpp>

#include "TxnFixture.h"

using namespace callgate;
using namespace callgate::sip;
using namespace callgate::sip::test;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(server_transactions)

BOOST_AUTO_TEST_CASE(invite_gets_100_trying_after_200ms) {
  TxnFixture f;
  f.receive(request("INVITE"));
  BOOST_REQUIRE(f.user.requests.size() == 1U);
  f.advance(190ms);
  BOOST_TEST(f.sender.sent.empty());
  f.advance(20ms);
  BOOST_REQUIRE(f.sender.sent.size() == 1U);
  BOOST_TEST(f.sender.sent[0].message().statusCode() == 100);
}

BOOST_AUTO_TEST_CASE(rport_and_received_route_the_response) {
  TxnFixture f;
  f.receive(request("OPTIONS", "z9hG4bKo1", "",
                    "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKo1;rport\r\n"),
            TransportKind::Udp, "203.0.113.9:40000");
  auto* txn = f.layer.findServer(f.user.requests.at(0));
  txn->respond(makeResponse(txn->request(), 200, {}, "t1"));
  BOOST_REQUIRE(f.sender.sent.size() == 1U);
  BOOST_TEST(f.sender.sent[0].target.address.toString() == "203.0.113.9:40000");
  const auto response = f.sender.sent[0].message();
  const auto via = response.topVia();
  BOOST_TEST(via->param("received").value() == "203.0.113.9");
  BOOST_TEST(via->param("rport").value() == "40000");
}

BOOST_AUTO_TEST_CASE(without_rport_the_response_goes_to_the_via_port) {
  TxnFixture f;
  f.receive(request("OPTIONS", "z9hG4bKo2", "",
                    "Via: SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bKo2\r\n"),
            TransportKind::Udp, "198.51.100.7:40000");
  auto* txn = f.layer.findServer(f.user.requests.at(0));
  txn->respond(makeResponse(txn->request(), 200, {}, "t1"));
  BOOST_TEST(f.sender.sent.at(0).target.address.toString() == "198.51.100.7:5070");
}

BOOST_AUTO_TEST_CASE(reliable_transport_answers_on_the_same_connection) {
  TxnFixture f;
  f.receive(request("OPTIONS", "z9hG4bKo3", "",
                    "Via: SIP/2.0/TCP 198.51.100.7:5062;branch=z9hG4bKo3\r\n"),
            TransportKind::Tcp, "198.51.100.7:41000", 42);
  auto* txn = f.layer.findServer(f.user.requests.at(0));
  txn->respond(makeResponse(txn->request(), 200, {}, "t1"));
  BOOST_TEST(f.sender.sent.at(0).target.connection == 42U);
}

BOOST_AUTO_TEST_CASE(non_2xx_final_retransmits_with_timer_g_until_ack) {
  TxnFixture f;
  f.receive(request("INVITE"));
  auto* txn = f.layer.findServer(f.user.requests.at(0));
  txn->respond(makeResponse(txn->request(), 486, {}, "t1"));
  f.advance(3600ms);
  // Sent at 0, then Timer G: 0.5, 1.5, 3.5 s.
  BOOST_TEST(f.sentTimesMs() == (std::vector<long>{0, 500, 1500, 3500}),
             boost::test_tools::per_element());
  f.receive(
      "ACK sip:agent@192.0.2.100 SIP/2.0\r\nVia: SIP/2.0/UDP "
      "198.51.100.7:5062;branch=z9hG4bKb1;rport\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:alice@shop.example>;tag=f1\r\nTo: "
      "<sip:agent@192.0.2.100>;tag=t1\r\n"
      "Call-ID: call-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
  f.advance(10s);
  BOOST_TEST(f.sender.sent.size() == 4U);
  BOOST_TEST(f.user.acks == 0);  // the ACK for a non-2xx belongs to the transaction
}

BOOST_AUTO_TEST_CASE(two_hundred_retransmits_until_ack_or_reports_ack_timeout) {
  TxnFixture f;
  f.receive(request("INVITE"));
  const auto id = f.user.requests.at(0);
  auto* txn = f.layer.findServer(id);
  txn->respond(makeResponse(txn->request(), 200, {}, "t2"));
  f.advance(32s);
  // 0, then T1 doubling to T2: 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, ...
  const auto times = f.sentTimesMs();
  BOOST_TEST(times.size() >= 6U);
  BOOST_TEST(times[1] == 500);
  BOOST_TEST(times[4] == 7500);
  BOOST_TEST(times[5] == 11500);
  BOOST_TEST(f.user.ackTimeouts == (std::vector<ServerTransactionId>{id}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ack_for_2xx_stops_retransmission_and_reaches_the_user) {
  TxnFixture f;
  f.receive(request("INVITE"));
  auto* txn = f.layer.findServer(f.user.requests.at(0));
  txn->respond(makeResponse(txn->request(), 200, {}, "t3"));
  f.advance(600ms);
  f.receive(
      "ACK sip:agent@192.0.2.100 SIP/2.0\r\nVia: SIP/2.0/UDP "
      "198.51.100.7:5062;branch=z9hG4bKack;rport\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:alice@shop.example>;tag=f1\r\nTo: "
      "<sip:agent@192.0.2.100>;tag=t3\r\n"
      "Call-ID: call-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
  BOOST_TEST(f.user.acks == 1);
  const auto sentBefore = f.sender.sent.size();
  f.advance(40s);
  BOOST_TEST(f.sender.sent.size() == sentBefore);
  BOOST_TEST(f.user.ackTimeouts.empty());
}

BOOST_AUTO_TEST_CASE(retransmitted_request_gets_the_last_response_again) {
  TxnFixture f;
  f.receive(request("OPTIONS", "z9hG4bKr"));
  auto* txn = f.layer.findServer(f.user.requests.at(0));
  txn->respond(makeResponse(txn->request(), 200, {}, "t1"));
  f.receive(request("OPTIONS", "z9hG4bKr"));
  BOOST_TEST(f.user.requests.size() == 1U);
  BOOST_REQUIRE(f.sender.sent.size() == 2U);
  BOOST_TEST(f.sender.sent[1].bytes == f.sender.sent[0].bytes);
}

BOOST_AUTO_TEST_CASE(non_invite_timer_j_ends_the_transaction) {
  TxnFixture f;
  f.receive(request("OPTIONS", "z9hG4bKj"));
  auto* txn = f.layer.findServer(f.user.requests.at(0));
  txn->respond(makeResponse(txn->request(), 200, {}, "t1"));
  f.advance(31900ms);
  BOOST_TEST(f.layer.serverCount() == 1U);
  f.advance(200ms);
  BOOST_TEST(f.layer.serverCount() == 0U);
}

BOOST_AUTO_TEST_CASE(cancel_is_answered_and_reported) {
  TxnFixture f;
  f.receive(request("INVITE", "z9hG4bKc"));
  f.receive(request("CANCEL", "z9hG4bKc"));
  BOOST_REQUIRE(f.user.cancels.size() == 1U);
  BOOST_TEST(f.user.cancels[0] == f.user.requests.at(0));
  BOOST_REQUIRE(!f.sender.sent.empty());
  const auto ok = f.sender.sent.back().message();
  BOOST_TEST(ok.statusCode() == 200);
  BOOST_TEST(ok.cseq()->method == Method::Cancel);
}

BOOST_AUTO_TEST_CASE(cancel_matching_nothing_gets_481) {
  TxnFixture f;
  f.receive(request("CANCEL", "z9hG4bKnone"));
  BOOST_TEST(f.user.cancels.empty());
  BOOST_TEST(f.sender.sent.at(0).message().statusCode() == 481);
}

BOOST_AUTO_TEST_CASE(bad_request_gets_stateless_400_with_reason) {
  TxnFixture f;
  f.receive(
      "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKbad;rport\r\n"
      "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
  BOOST_TEST(f.user.requests.empty());
  const auto r = f.sender.sent.at(0).message();
  BOOST_TEST(r.statusCode() == 400);
  BOOST_TEST(r.reasonPhrase() == "Missing Call-ID");
}

BOOST_AUTO_TEST_CASE(max_forwards_zero_gets_483) {
  TxnFixture f;
  auto text = request("INVITE", "z9hG4bKmf");
  text.replace(text.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
  f.receive(text);
  BOOST_TEST(f.user.requests.empty());
  BOOST_TEST(f.sender.sent.at(0).message().statusCode() == 483);
}

BOOST_AUTO_TEST_CASE(merged_request_gets_482) {
  TxnFixture f;
  f.receive(request("INVITE", "z9hG4bKpath1"));
  f.receive(request("INVITE", "z9hG4bKpath2"));
  BOOST_TEST(f.user.requests.size() == 1U);
  BOOST_TEST(f.sender.sent.at(0).message().statusCode() == 482);
}

BOOST_AUTO_TEST_SUITE_END()
