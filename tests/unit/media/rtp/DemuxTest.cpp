#include <array>
#include <boost/test/unit_test.hpp>

#include "media/rtp/Demux.h"

using namespace callgate::media::rtp;

namespace {

PacketKind kindOf(uint8_t first, uint8_t second = 0) {
  const std::array<uint8_t, 2> bytes{first, second};
  return classify(bytes);
}

// classify() is constexpr, so the split can be checked at compile time too.
constexpr std::array<uint8_t, 2> kSenderReport{0x80, 200};
constexpr std::array<uint8_t, 2> kOpus{0x80, 111};
static_assert(classify(kSenderReport) == PacketKind::Rtcp);
static_assert(classify(kOpus) == PacketKind::Rtp);

}  // namespace

BOOST_AUTO_TEST_SUITE(demux)

BOOST_AUTO_TEST_CASE(rfc7983_ranges) {
  for (int b = 0; b <= 255; ++b) {
    const auto first = static_cast<uint8_t>(b);
    PacketKind expected = PacketKind::Unknown;
    if (b <= 3) expected = PacketKind::Stun;
    if (b >= 20 && b <= 63) expected = PacketKind::Dtls;
    if (b >= 128 && b <= 191) expected = PacketKind::Rtp;  // second byte 0: PT 0 (PCMU)
    BOOST_TEST((kindOf(first) == expected), "first byte " << b);
  }
}

BOOST_AUTO_TEST_CASE(rtcp_split_by_second_byte) {
  // RFC 5761 §4: SR 200 / RR 201 / PSFB 206 mask to 72 / 73 / 78.
  BOOST_TEST((kindOf(0x80, 200) == PacketKind::Rtcp));
  BOOST_TEST((kindOf(0x81, 201) == PacketKind::Rtcp));
  BOOST_TEST((kindOf(0x8f, 206) == PacketKind::Rtcp));
  BOOST_TEST((kindOf(0x80, 111) == PacketKind::Rtp));         // Opus
  BOOST_TEST((kindOf(0x80, 0x80 | 111) == PacketKind::Rtp));  // Opus with marker
  BOOST_TEST((kindOf(0x80, 0x80 | 96) == PacketKind::Rtp));
  BOOST_TEST((kindOf(0x80, 63) == PacketKind::Rtp));
  BOOST_TEST((kindOf(0x80, 64) == PacketKind::Rtcp));
  BOOST_TEST((kindOf(0x80, 95) == PacketKind::Rtcp));
  BOOST_TEST((kindOf(0x80, 0x80 | 95) == PacketKind::Rtcp));
  BOOST_TEST(isRtcpPayloadType(192));
  BOOST_TEST(isRtcpPayloadType(223));
  BOOST_TEST(!isRtcpPayloadType(224));
  BOOST_TEST(!isRtcpPayloadType(0));
}

BOOST_AUTO_TEST_CASE(short_packets) {
  BOOST_TEST((classify({}) == PacketKind::Unknown));
  const std::array<uint8_t, 1> rtpByte{0x80};
  BOOST_TEST((classify(rtpByte) == PacketKind::Unknown));
  const std::array<uint8_t, 1> stunByte{0x00};
  BOOST_TEST((classify(stunByte) == PacketKind::Stun));
}

BOOST_AUTO_TEST_SUITE_END()
