// RFC 5769 test vectors: parsing, MESSAGE-INTEGRITY and FINGERPRINT checks,
// and StunWriter reproducing the same bytes.

#include <array>
#include <boost/test/unit_test.hpp>
#include <vector>

#include "../rtp/HexBytes.h"
#include "media/stun/StunMessage.h"

using namespace callgate::media::stun;
using callgate::media::test::hexBytes;
using callgate::net::SocketAddress;

namespace {

constexpr std::string_view kPassword = "VOkJxbRl1RmTxUk/WvJxBt";
constexpr TransactionId kTransactionId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                          0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

// RFC 5769 §2.1. Note the padding bytes are spaces, not zeros.
std::vector<uint8_t> sampleRequest() {
  return hexBytes(
      "00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae"
      "80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74"
      "00 24 00 04  6e 00 01 ff"
      "80 29 00 08  93 2f f9 b1  51 26 3b 36"
      "00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20"
      "00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2"
      "80 28 00 04  e5 7a 3b cf");
}

// RFC 5769 §2.2.
std::vector<uint8_t> sampleIpv4Response() {
  return hexBytes(
      "01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae"
      "80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20"
      "00 20 00 08  00 01 a1 47  e1 12 a6 43"
      "00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7"
      "80 28 00 04  c0 7d 4c 96");
}

// RFC 5769 §2.3.
std::vector<uint8_t> sampleIpv6Response() {
  return hexBytes(
      "01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae"
      "80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20"
      "00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9"
      "00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41"
      "80 28 00 04  c8 fb 0b 4c");
}

std::vector<uint8_t> written(const StunWriter& w) {
  return {w.bytes().begin(), w.bytes().end()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rfc5769)

BOOST_AUTO_TEST_CASE(sample_request_parses_and_verifies) {
  const auto bytes = sampleRequest();
  BOOST_TEST(looksLikeStun(bytes));
  const auto m = StunMessage::parse(bytes);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->method() == StunMethod::kBinding);
  BOOST_TEST((m->messageClass() == StunClass::Request));
  BOOST_TEST(std::vector<uint8_t>(m->transactionId().begin(), m->transactionId().end()) ==
                 std::vector<uint8_t>(kTransactionId.begin(), kTransactionId.end()),
             boost::test_tools::per_element());
  BOOST_TEST(m->username().value() == "evtj:h6vY");
  BOOST_TEST(m->priority().value() == 0x6e0001ffU);
  BOOST_TEST(m->iceControlled().value() == 0x932ff9b151263b36ULL);
  BOOST_TEST(!m->iceControlling().has_value());
  BOOST_TEST(!m->useCandidate());
  BOOST_TEST(!m->xorMappedAddress().has_value());
  BOOST_TEST(!m->errorCode().has_value());
  BOOST_TEST(m->hasMessageIntegrity());
  BOOST_TEST(m->hasFingerprint());
  BOOST_TEST(m->verifyFingerprint());
  BOOST_TEST(m->verifyMessageIntegrity(kPassword));
  BOOST_TEST(!m->verifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"));
  BOOST_TEST(!m->verifyMessageIntegrity(""));

  std::vector<uint16_t> types;
  for (const StunAttribute a : *m) types.push_back(a.type);
  const std::vector<uint16_t> expected{StunAttr::kSoftware,         StunAttr::kPriority,
                                       StunAttr::kIceControlled,    StunAttr::kUsername,
                                       StunAttr::kMessageIntegrity, StunAttr::kFingerprint};
  BOOST_TEST(types == expected, boost::test_tools::per_element());
  const auto software = m->find(StunAttr::kSoftware);
  BOOST_REQUIRE(software.has_value());
  BOOST_TEST(std::string(software->begin(), software->end()) == "STUN test client");
}

BOOST_AUTO_TEST_CASE(sample_ipv4_response) {
  const auto bytes = sampleIpv4Response();
  const auto m = StunMessage::parse(bytes);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST((m->messageClass() == StunClass::Success));
  BOOST_TEST(m->method() == StunMethod::kBinding);
  const auto mapped = m->xorMappedAddress();
  BOOST_REQUIRE(mapped.has_value());
  BOOST_TEST(mapped->toString() == "192.0.2.1:32853");
  BOOST_TEST(m->verifyFingerprint());
  BOOST_TEST(m->verifyMessageIntegrity(kPassword));
}

BOOST_AUTO_TEST_CASE(sample_ipv6_response) {
  const auto bytes = sampleIpv6Response();
  const auto m = StunMessage::parse(bytes);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST((m->messageClass() == StunClass::Success));
  const auto mapped = m->xorMappedAddress();
  BOOST_REQUIRE(mapped.has_value());
  BOOST_TEST(mapped->family() == AF_INET6);
  BOOST_TEST(mapped->toString() == "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  BOOST_TEST(m->verifyFingerprint());
  BOOST_TEST(m->verifyMessageIntegrity(kPassword));
}

BOOST_AUTO_TEST_CASE(any_tampered_byte_fails_verification) {
  const auto original = sampleRequest();
  // Flip each byte before MESSAGE-INTEGRITY that keeps the message parseable:
  // both checks must fail. The header's type and length and attribute headers
  // are included as far as the message still parses.
  size_t tried = 0;
  for (size_t i = 0; i < 76; ++i) {
    auto bytes = original;
    bytes[i] ^= 0x01;
    const auto m = StunMessage::parse(bytes);
    if (!m || !m->hasMessageIntegrity() || !m->hasFingerprint()) continue;
    ++tried;
    BOOST_TEST(!m->verifyMessageIntegrity(kPassword), "byte " << i);
    BOOST_TEST(!m->verifyFingerprint(), "byte " << i);
  }
  BOOST_TEST(tried > 50U);
  // A changed HMAC fails integrity only; a changed CRC fails the fingerprint only.
  auto mac = original;
  mac[90] ^= 0x80;
  BOOST_TEST(!StunMessage::parse(mac)->verifyMessageIntegrity(kPassword));
  BOOST_TEST(!StunMessage::parse(mac)->verifyFingerprint());
  auto crc = original;
  crc.back() ^= 0x01;
  BOOST_TEST(StunMessage::parse(crc)->verifyMessageIntegrity(kPassword));
  BOOST_TEST(!StunMessage::parse(crc)->verifyFingerprint());
}

BOOST_AUTO_TEST_CASE(writer_reproduces_sample_request) {
  std::array<uint8_t, 256> buffer{};
  StunWriter w(buffer);
  w.setPaddingByte(' ');  // as the RFC 5769 vectors do
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Request, kTransactionId));
  BOOST_TEST(w.addSoftware("STUN test client"));
  BOOST_TEST(w.addPriority(0x6e0001ff));
  BOOST_TEST(w.addIceControlled(0x932ff9b151263b36ULL));
  BOOST_TEST(w.addUsername("evtj:h6vY"));
  BOOST_TEST(w.addMessageIntegrity(kPassword));
  BOOST_TEST(w.addFingerprint());
  BOOST_TEST(written(w) == sampleRequest(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(writer_reproduces_sample_responses) {
  std::array<uint8_t, 256> buffer{};
  StunWriter w(buffer);
  w.setPaddingByte(' ');
  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Success, kTransactionId));
  BOOST_TEST(w.addSoftware("test vector"));
  BOOST_TEST(w.addXorMappedAddress(SocketAddress::fromIp("192.0.2.1", 32853).value()));
  BOOST_TEST(w.addMessageIntegrity(kPassword));
  BOOST_TEST(w.addFingerprint());
  BOOST_TEST(written(w) == sampleIpv4Response(), boost::test_tools::per_element());

  BOOST_TEST(w.begin(StunMethod::kBinding, StunClass::Success, kTransactionId));
  BOOST_TEST(w.addSoftware("test vector"));
  BOOST_TEST(w.addXorMappedAddress(
      SocketAddress::fromIp("2001:db8:1234:5678:11:2233:4455:6677", 32853).value()));
  BOOST_TEST(w.addMessageIntegrity(kPassword));
  BOOST_TEST(w.addFingerprint());
  BOOST_TEST(written(w) == sampleIpv6Response(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
