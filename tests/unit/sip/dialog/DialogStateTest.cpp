#include <boost/test/unit_test.hpp>

#include "sip/dialog/DialogState.h"
#include "sip/msg/MessageBuilder.h"
#include "sip/msg/SipMessage.h"
#include "sip/txn/Transaction.h"

using namespace callgate::sip;

namespace {
std::string header(const OutgoingRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}
std::vector<std::string> all(const OutgoingRequest& r, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : r.headers) {
    if (n == name) out.push_back(v);
  }
  return out;
}
DialogState confirmedUacDialog() {
  auto response = SipMessage::parse(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.100;branch=z9hG4bKx\r\n"
      "Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\nRecord-Route: "
      "<sip:p3.example;lr>\r\n"
      "From: <sip:gw@192.0.2.100>;tag=ours\r\nTo: <sip:agent@cc.example>;tag=theirs\r\nCall-ID: "
      "c1\r\n"
      "CSeq: 10 INVITE\r\nContact: <sip:agent@198.51.100.20:5080;transport=tcp>\r\nContent-Length: "
      "0\r\n\r\n");
  DialogState d;
  d.callId = "c1";
  d.localTag = "ours";
  d.remoteTag = "theirs";
  d.localUri = "sip:gw@192.0.2.100";
  d.remoteUri = "sip:agent@cc.example";
  d.localCseq = 10;
  d.localContact = "sip:gw@192.0.2.100:5060";
  d.learnRemoteTarget(*response.message);
  d.learnRouteSet(*response.message, /*asUac=*/true);
  return d;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(dialog_state)

BOOST_AUTO_TEST_CASE(uac_route_set_is_reversed_and_target_is_the_contact) {
  auto d = confirmedUacDialog();
  BOOST_TEST(d.remoteTarget == "sip:agent@198.51.100.20:5080;transport=tcp");
  BOOST_TEST(d.routeSet == (std::vector<std::string>{"<sip:p3.example;lr>", "<sip:p2.example;lr>",
                                                     "<sip:p1.example;lr>"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(in_dialog_request_carries_the_dialog) {
  auto d = confirmedUacDialog();
  const auto bye = d.makeRequest(Method::Bye, 70);
  BOOST_TEST(bye.requestUri == "sip:agent@198.51.100.20:5080;transport=tcp");
  BOOST_TEST(all(bye, "Route").size() == 3U);
  BOOST_TEST(all(bye, "Route")[0] == "<sip:p3.example;lr>");
  BOOST_TEST(header(bye, "From") == "<sip:gw@192.0.2.100>;tag=ours");
  BOOST_TEST(header(bye, "To") == "<sip:agent@cc.example>;tag=theirs");
  BOOST_TEST(header(bye, "CSeq") == "11 BYE");
  BOOST_TEST(header(bye, "Contact").empty());
  const auto reinvite = d.makeRequest(Method::Invite, 70);
  BOOST_TEST(header(reinvite, "CSeq") == "12 INVITE");
  BOOST_TEST(header(reinvite, "Contact") == "<sip:gw@192.0.2.100:5060>");
  const auto ack = d.makeRequest(Method::Ack, 70, 12);
  BOOST_TEST(header(ack, "CSeq") == "12 ACK");
  BOOST_TEST(d.localCseq == 12U);
}

BOOST_AUTO_TEST_CASE(remote_cseq_must_grow) {
  DialogState d;
  BOOST_TEST(d.acceptRemoteCseq(5));
  BOOST_TEST(d.acceptRemoteCseq(6));
  BOOST_TEST(!d.acceptRemoteCseq(6));
  BOOST_TEST(!d.acceptRemoteCseq(2));
}

BOOST_AUTO_TEST_CASE(uas_keeps_record_route_order) {
  auto request = SipMessage::parse(
      "INVITE sip:gw@192.0.2.100 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKy\r\n"
      "Record-Route: <sip:edge1.example;lr>, <sip:edge2.example;lr>\r\nMax-Forwards: 70\r\n"
      "From: <sip:alice@shop.example>;tag=a\r\nTo: <sip:gw@192.0.2.100>\r\nCall-ID: c2\r\nCSeq: 1 "
      "INVITE\r\n"
      "Contact: \"Alice\" <sip:alice@198.51.100.1:5062>\r\nContent-Length: 0\r\n\r\n");
  DialogState d;
  d.learnRemoteTarget(*request.message);
  d.learnRouteSet(*request.message, /*asUac=*/false);
  BOOST_TEST(d.remoteTarget == "sip:alice@198.51.100.1:5062");
  BOOST_TEST(d.routeSet.front() == "<sip:edge1.example;lr>");
}

BOOST_AUTO_TEST_CASE(display_names_are_quoted_and_escaped) {
  BOOST_TEST(formatNameAddr("Alice \"Al\" B", "sip:a@b", "t") ==
             R"("Alice \"Al\" B" <sip:a@b>;tag=t)");
  BOOST_TEST(formatNameAddr("", "sip:a@b") == "<sip:a@b>");
}

BOOST_AUTO_TEST_SUITE_END()
