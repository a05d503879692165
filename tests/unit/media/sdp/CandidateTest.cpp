// a=candidate values (RFC 8839 §5.1, RFC 6544 §4.5).

#include <boost/test/unit_test.hpp>

#include "SdpTestUtil.h"

using namespace callgate::media::sdp;

namespace {

std::string candidateError(std::string_view text) {
  std::string error;
  if (parseCandidate(text, &error)) return "";
  return error;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdp_candidates)

BOOST_AUTO_TEST_CASE(rfc8839_examples) {
  // The host and server-reflexive candidates of the RFC 8839 §5.1 / RFC 8445
  // examples.
  const auto host = parseCandidate("1 1 UDP 2130706431 10.0.1.1 8998 typ host", nullptr);
  BOOST_REQUIRE(host.has_value());
  BOOST_TEST(host->foundation == "1");
  BOOST_TEST(host->component == 1U);
  BOOST_TEST(host->transport == "UDP");
  BOOST_TEST(host->priority == 2130706431U);
  BOOST_TEST(host->address == "10.0.1.1");
  BOOST_TEST(host->port == 8998);
  BOOST_TEST(host->type == "host");
  BOOST_TEST(host->relatedAddress.empty());
  BOOST_TEST(host->relatedPort == 0);

  const auto srflx = parseCandidate(
      "2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998", nullptr);
  BOOST_REQUIRE(srflx.has_value());
  BOOST_TEST(srflx->type == "srflx");
  BOOST_TEST(srflx->relatedAddress == "10.0.1.1");
  BOOST_TEST(srflx->relatedPort == 8998);
  BOOST_TEST(srflx->extensions.empty());
}

BOOST_AUTO_TEST_CASE(tcp_candidate_and_extensions) {
  const auto c = parseCandidate(
      "3 2 tcp 1019216383 192.0.2.3 9 typ host tcptype passive generation 0 ufrag EsAw", nullptr);
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->component == 2U);
  BOOST_TEST(c->port == 9);
  BOOST_REQUIRE(c->extensions.size() == 3U);
  BOOST_TEST(c->extensions[0].first == "tcptype");
  BOOST_TEST(c->extensions[0].second == "passive");
  BOOST_TEST(c->extension("ufrag").value() == "EsAw");
  BOOST_TEST(!c->extension("network-id").has_value());
}

BOOST_AUTO_TEST_CASE(trickled_candidate_keeps_its_prefix_out) {
  // Trickle ICE (and JsSIP) hand over "candidate:..." with the attribute name.
  const auto c = parseCandidate(
      "candidate:842163049 1 udp 1677729535 203.0.113.9 46154 typ srflx raddr 10.0.0.2 rport "
      "46154 generation 0 ufrag EsAw network-cost 999",
      nullptr);
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->foundation == "842163049");
  BOOST_TEST(writeCandidate(*c) ==
             "842163049 1 udp 1677729535 203.0.113.9 46154 typ srflx raddr 10.0.0.2 rport 46154 "
             "generation 0 ufrag EsAw network-cost 999");
}

BOOST_AUTO_TEST_CASE(written_form) {
  Candidate c;
  c.foundation = "4233069003";
  c.component = 1;
  c.transport = "tcp";
  c.priority = 1518280447;
  c.address = "192.168.1.23";
  c.port = 9;
  c.type = "host";
  c.extensions = {{"tcptype", "active"}, {"generation", "0"}};
  BOOST_TEST(writeCandidate(c) ==
             "4233069003 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0");
  // raddr and rport are written apart: an absent rport reads as 0.
  c.relatedAddress = "0.0.0.0";
  BOOST_TEST(writeCandidate(c) ==
             "4233069003 1 tcp 1518280447 192.168.1.23 9 typ host raddr "
             "0.0.0.0 tcptype active generation 0");
  BOOST_TEST(parseCandidate(writeCandidate(c), nullptr).value() == c);
}

BOOST_AUTO_TEST_CASE(fixture_candidates_are_written_back_unchanged) {
  const auto s = sdptest::mustParse(sdptest::fixture("jssip_chrome_audio.sdp"));
  const auto text = sdptest::fixture("jssip_chrome_audio.sdp");
  for (const auto& c : s.media[0].candidates) {
    const auto line = "a=candidate:" + writeCandidate(c) + "\r\n";
    BOOST_TEST_INFO(line);
    BOOST_TEST(text.find(line) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(malformed_candidates) {
  BOOST_TEST(candidateError("") == "bad foundation");
  BOOST_TEST(candidateError("a-b 1 udp 1 192.0.2.1 1 typ host") == "bad foundation");
  BOOST_TEST(candidateError(std::string(33, 'f') + " 1 udp 1 192.0.2.1 1 typ host") ==
             "bad foundation");
  BOOST_TEST(candidateError(std::string(32, 'f') + " 1 udp 1 192.0.2.1 1 typ host").empty());
  BOOST_TEST(candidateError("1 0 udp 1 192.0.2.1 1 typ host") == "bad component id");
  BOOST_TEST(candidateError("1 257 udp 1 192.0.2.1 1 typ host") == "bad component id");
  BOOST_TEST(candidateError("1 x udp 1 192.0.2.1 1 typ host") == "bad component id");
  BOOST_TEST(candidateError("1 1") == "missing transport");
  BOOST_TEST(candidateError("1 1 udp 4294967296 192.0.2.1 1 typ host") == "bad priority");
  BOOST_TEST(candidateError("1 1 udp 1") == "missing address");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 65536 typ host") == "bad port");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 1 host") == "missing typ");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 1 typ") == "missing candidate type");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 1 typ host generation") ==
             "extension without value");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 1 typ host typ relay") == "duplicate typ");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 1 typ srflx raddr a raddr b") ==
             "duplicate raddr");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 1 typ srflx rport x") == "bad rport");
  BOOST_TEST(candidateError("1 1 udp 1 192.0.2.1 1 typ srflx rport 1 rport 2") == "bad rport");
  BOOST_TEST(!parseCandidate("junk", nullptr).has_value());  // null error pointer is fine
}

BOOST_AUTO_TEST_SUITE_END()
