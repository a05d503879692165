#include <array>
#include <boost/test/unit_test.hpp>
#include <vector>

#include "HexBytes.h"
#include "media/rtp/RtpPacket.h"

using namespace callgate::media::rtp;
using callgate::media::test::hexBytes;

namespace {

// V=2 P=1 X=1 CC=2, M=1 PT=111, two CSRCs, a one-byte extension with elements
// 1 (one byte) and 2 (three bytes) plus two padding bytes, five payload bytes
// and three bytes of RTP padding.
std::vector<uint8_t> fullPacket() {
  return hexBytes(
      "b2 ef 12 34  de ad be ef  11 22 33 44"
      "aa aa aa aa  bb bb bb bb"
      "be de 00 02  10 05 22 0a  0b 0c 00 00"
      "01 02 03 04 05"
      "00 00 03");
}

std::vector<uint8_t> withTwoByteExtension() {
  // X=1, profile 0x1000 with appbits 0x3: element 3 empty, element 200 of three
  // bytes, one padding byte.
  return hexBytes(
      "90 00 00 01  00 00 00 02  00 00 00 03"
      "10 03 00 02  03 00 c8 03  61 62 63 00"
      "ff");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rtp_packet)

BOOST_AUTO_TEST_CASE(parses_every_field) {
  auto bytes = fullPacket();
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->marker());
  BOOST_TEST(p->payloadType() == 111);
  BOOST_TEST(p->sequence() == 0x1234);
  BOOST_TEST(p->timestamp() == 0xdeadbeefU);
  BOOST_TEST(p->ssrc() == 0x11223344U);
  BOOST_TEST(p->csrcCount() == 2);
  BOOST_TEST(p->csrc(0) == 0xaaaaaaaaU);
  BOOST_TEST(p->csrc(1) == 0xbbbbbbbbU);
  BOOST_TEST(p->csrc(2) == 0U);
  BOOST_TEST(p->hasExtension());
  BOOST_TEST(p->extensionProfile() == 0xbede);
  BOOST_TEST(p->extensionData().size() == 8U);
  BOOST_TEST(p->headerSize() == 32U);
  BOOST_TEST(p->paddingSize() == 3U);
  BOOST_TEST(p->size() == 40U);
  const std::vector<uint8_t> payload(p->payload().begin(), p->payload().end());
  BOOST_TEST(payload == (std::vector<uint8_t>{1, 2, 3, 4, 5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_byte_extension_elements) {
  auto bytes = fullPacket();
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  const auto one = p->findExtension(1);
  BOOST_REQUIRE(one.has_value());
  BOOST_TEST(one->size() == 1U);
  BOOST_TEST((*one)[0] == 0x05);
  const auto two = p->findExtension(2);
  BOOST_REQUIRE(two.has_value());
  BOOST_TEST(two->size() == 3U);
  BOOST_TEST((*two)[2] == 0x0c);
  BOOST_TEST(!p->findExtension(3).has_value());
  BOOST_TEST(!p->findExtension(0).has_value());
  BOOST_TEST(!p->findExtension(15).has_value());
  // The element is a view: writing through it changes the packet.
  (*two)[0] = 0x7f;
  BOOST_TEST(bytes[27] == 0x7f);
}

BOOST_AUTO_TEST_CASE(one_byte_id_15_stops_processing) {
  // RFC 8285 §4.2: element 1, then ID 15, then what looks like element 2.
  auto bytes = hexBytes("90 00 00 01 00 00 00 02 00 00 00 03  be de 00 01  10 05 f0 20");
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->findExtension(1).has_value());
  BOOST_TEST(!p->findExtension(2).has_value());
}

BOOST_AUTO_TEST_CASE(one_byte_element_running_past_the_extension_is_absent) {
  // Element 4 claims 16 bytes but only 3 follow.
  auto bytes = hexBytes("90 00 00 01 00 00 00 02 00 00 00 03  be de 00 01  4f 01 02 03");
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(!p->findExtension(4).has_value());
}

BOOST_AUTO_TEST_CASE(two_byte_extension_elements) {
  auto bytes = withTwoByteExtension();
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->extensionProfile() == 0x1003);
  BOOST_TEST(p->headerSize() == 24U);
  BOOST_TEST(p->payload().size() == 1U);
  BOOST_TEST(p->paddingSize() == 0U);
  const auto empty = p->findExtension(3);
  BOOST_REQUIRE(empty.has_value());
  BOOST_TEST(empty->empty());
  const auto big = p->findExtension(200);
  BOOST_REQUIRE(big.has_value());
  BOOST_TEST(std::string(big->begin(), big->end()) == "abc");
  BOOST_TEST(!p->findExtension(4).has_value());
}

BOOST_AUTO_TEST_CASE(other_profiles_have_no_elements) {
  auto bytes = hexBytes("90 00 00 01 00 00 00 02 00 00 00 03  ab cd 00 01  10 05 00 00");
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->extensionProfile() == 0xabcd);
  BOOST_TEST(p->extensionData().size() == 4U);
  BOOST_TEST(!p->findExtension(1).has_value());
}

BOOST_AUTO_TEST_CASE(minimal_packet) {
  auto bytes = hexBytes("80 00 ff ff 00 00 00 00 00 00 00 00");
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(!p->marker());
  BOOST_TEST(p->payloadType() == 0);
  BOOST_TEST(p->sequence() == 0xffff);
  BOOST_TEST(p->payload().empty());
  BOOST_TEST(!p->hasExtension());
  BOOST_TEST(p->extensionProfile() == 0);
  BOOST_TEST(p->extensionData().empty());
  BOOST_TEST(!p->findExtension(1).has_value());
}

BOOST_AUTO_TEST_CASE(padding_may_take_the_whole_payload) {
  auto bytes = hexBytes("a0 00 00 01 00 00 00 02 00 00 00 03  00 00 00 04");
  const auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->paddingSize() == 4U);
  BOOST_TEST(p->payload().empty());
}

BOOST_AUTO_TEST_CASE(rejects_malformed_packets) {
  const char* bad[] = {
      "",
      "80 00 00 01 00 00 00 02 00 00 00",                             // 11 bytes
      "40 00 00 01 00 00 00 02 00 00 00 03 aa",                       // version 1
      "c0 00 00 01 00 00 00 02 00 00 00 03 aa",                       // version 3
      "83 00 00 01 00 00 00 02 00 00 00 03 aa aa aa aa aa aa aa aa",  // 3 CSRCs, room for 2
      "90 00 00 01 00 00 00 02 00 00 00 03 be de",                    // extension header cut
      "90 00 00 01 00 00 00 02 00 00 00 03 be de 00 02 10 05 00 00",  // length 2 words, 1 there
      "a0 00 00 01 00 00 00 02 00 00 00 03",           // padding bit, no bytes after the header
      "a0 00 00 01 00 00 00 02 00 00 00 03 aa bb 00",  // padding count 0
      "a0 00 00 01 00 00 00 02 00 00 00 03 aa bb 04",  // padding 4 > 3 bytes after header
      "b0 00 00 01 00 00 00 02 00 00 00 03 be de 00 00 01",  // padding 1 ok ... see below
  };
  for (size_t i = 0; i + 1 < std::size(bad); ++i) {
    auto bytes = hexBytes(bad[i]);
    BOOST_TEST(!RtpPacket::parse(bytes).has_value(), "case " << i);
  }
  // The last one is valid: an empty extension and one byte that is all padding.
  auto ok = hexBytes(bad[std::size(bad) - 1]);
  const auto p = RtpPacket::parse(ok);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->paddingSize() == 1U);
  BOOST_TEST(p->payload().empty());
  BOOST_TEST(p->extensionData().empty());
}

BOOST_AUTO_TEST_CASE(setters_rewrite_in_place) {
  auto bytes = fullPacket();
  auto p = RtpPacket::parse(bytes);
  BOOST_REQUIRE(p.has_value());
  p->setMarker(false);
  p->setPayloadType(0);
  p->setSequence(0xfffe);
  p->setTimestamp(0x01020304);
  p->setSsrc(0xcafebabe);
  BOOST_TEST(!p->marker());
  BOOST_TEST(p->payloadType() == 0);
  p->setPayloadType(0xff);  // only 7 bits land
  BOOST_TEST(p->payloadType() == 0x7f);
  BOOST_TEST(!p->marker());
  p->setMarker(true);
  BOOST_TEST(p->payloadType() == 0x7f);
  const auto expected = hexBytes("b2 ff ff fe 01 02 03 04 ca fe ba be");
  BOOST_TEST(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 12) == expected,
             boost::test_tools::per_element());
  // Nothing else moved.
  const auto reparsed = RtpPacket::parse(bytes);
  BOOST_REQUIRE(reparsed.has_value());
  BOOST_TEST(reparsed->csrc(1) == 0xbbbbbbbbU);
  BOOST_TEST(reparsed->payload().size() == 5U);
}

BOOST_AUTO_TEST_CASE(writes_a_header) {
  std::array<uint8_t, 20> out{};
  BOOST_TEST(RtpPacket::writeHeader(out, 8, true, 0x0102, 0x03040506, 0x0708090a) == 12U);
  const auto expected = hexBytes("80 88 01 02 03 04 05 06 07 08 09 0a");
  BOOST_TEST(std::vector<uint8_t>(out.begin(), out.begin() + 12) == expected,
             boost::test_tools::per_element());
  const auto p = RtpPacket::parse(std::span<uint8_t>(out).first(20));
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->payloadType() == 8);
  BOOST_TEST(p->marker());
  BOOST_TEST(p->payload().size() == 8U);
  std::array<uint8_t, 11> small{};
  BOOST_TEST(RtpPacket::writeHeader(small, 0, false, 0, 0, 0) == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
