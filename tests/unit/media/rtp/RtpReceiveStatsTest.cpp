#include <boost/test/unit_test.hpp>
#include <cstdint>

#include "media/rtp/RtpReceiveStats.h"

using namespace callgate::media::rtp;

namespace {

constexpr uint32_t kSpacing = 160;  // 20 ms at 8 kHz

// Feeds a packet that arrives exactly on schedule: transit is constant.
bool onTime(RtpReceiveStats& s, uint16_t seq) {
  const uint32_t ts = static_cast<uint32_t>(seq) * kSpacing;
  return s.update(seq, ts + 5000, ts);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rtp_receive_stats)

BOOST_AUTO_TEST_CASE(probation_then_in_order) {
  RtpReceiveStats s(0x1234);
  BOOST_TEST(!s.valid());
  BOOST_TEST(!onTime(s, 1000));  // first packet: probation
  BOOST_TEST(s.expected() == 0U);
  BOOST_TEST(onTime(s, 1001));  // second in sequence: valid, statistics start here
  BOOST_TEST(s.valid());
  for (uint16_t seq = 1002; seq < 1100; ++seq) BOOST_TEST(onTime(s, seq));
  BOOST_TEST(s.extendedHighestSequence() == 1099U);
  BOOST_TEST(s.expected() == 99U);
  BOOST_TEST(s.received() == 99U);
  BOOST_TEST(s.cumulativeLost() == 0);
  BOOST_TEST(s.jitter() == 0U);
  BOOST_TEST(s.takeFractionLost() == 0);
}

BOOST_AUTO_TEST_CASE(probation_restarts_on_a_gap) {
  RtpReceiveStats s;
  BOOST_TEST(!onTime(s, 10));
  BOOST_TEST(!onTime(s, 20));  // not 11: probation starts over from 20
  BOOST_TEST(!s.valid());
  BOOST_TEST(onTime(s, 21));
  BOOST_TEST(s.valid());
  BOOST_TEST(s.expected() == 1U);
}

BOOST_AUTO_TEST_CASE(known_loss_pattern_gives_fraction_lost) {
  RtpReceiveStats s;
  onTime(s, 0);
  BOOST_TEST(onTime(s, 1));  // base sequence 1
  // Lose 3, 7, ..., 255: 64 of the 256 expected from base 1 to 256.
  for (uint16_t seq = 2; seq <= 256; ++seq) {
    if (seq % 4 != 3) onTime(s, seq);
  }
  BOOST_TEST(s.expected() == 256U);
  BOOST_TEST(s.received() == 192U);
  BOOST_TEST(s.cumulativeLost() == 64);
  BOOST_TEST(s.takeFractionLost() == 64);  // 25% in 1/256 units
  // A clean interval reports no loss though the cumulative count stays.
  for (uint16_t seq = 257; seq <= 356; ++seq) onTime(s, seq);
  BOOST_TEST(s.takeFractionLost() == 0);
  BOOST_TEST(s.cumulativeLost() == 64);
  // Half of the next 10 lost: 128/256.
  for (uint16_t seq = 357; seq <= 366; ++seq) {
    if (seq % 2 == 0) onTime(s, seq);
  }
  BOOST_TEST(s.takeFractionLost() == 128);
  // Only duplicates: more received than expected, fraction 0 not negative.
  onTime(s, 366);
  onTime(s, 366);
  BOOST_TEST(s.takeFractionLost() == 0);
  BOOST_TEST(s.cumulativeLost() == 64 + 5 - 2);
}

BOOST_AUTO_TEST_CASE(reordered_packets_are_not_losses) {
  RtpReceiveStats s;
  for (uint16_t seq : {10, 11, 12, 14, 13, 15, 17, 16}) onTime(s, seq);
  BOOST_TEST(s.extendedHighestSequence() == 17U);
  BOOST_TEST(s.expected() == 7U);  // 11..17
  BOOST_TEST(s.received() == 7U);
  BOOST_TEST(s.cumulativeLost() == 0);
}

BOOST_AUTO_TEST_CASE(wraps_at_65535) {
  RtpReceiveStats s;
  uint16_t seq = 65530;
  for (int i = 0; i < 12; ++i) onTime(s, seq++);  // 65530..65535, 0..5
  BOOST_TEST(seq == 6);
  BOOST_TEST(s.extendedHighestSequence() == 65536U + 5);
  BOOST_TEST(s.expected() == 11U);  // base 65531
  BOOST_TEST(s.cumulativeLost() == 0);
  // A late packet from before the wrap neither counts a cycle nor moves max.
  onTime(s, 65534);
  BOOST_TEST(s.extendedHighestSequence() == 65536U + 5);
  // Through the next wrap the cycle count keeps growing.
  for (uint32_t n = 6; n <= 65536 + 2000; n += 1000) onTime(s, static_cast<uint16_t>(n));
  BOOST_TEST(s.extendedHighestSequence() / 65536 == 2U);
}

BOOST_AUTO_TEST_CASE(large_jump_then_sequential_restarts) {
  RtpReceiveStats s;
  for (uint16_t seq = 100; seq <= 110; ++seq) onTime(s, seq);
  BOOST_TEST(s.received() == 10U);
  // A jump beyond MAX_DROPOUT is not counted at first...
  BOOST_TEST(!onTime(s, 40000));
  BOOST_TEST(s.extendedHighestSequence() == 110U);
  // ... and a non-sequential second jump does not restart either.
  BOOST_TEST(!onTime(s, 50000));
  BOOST_TEST(s.extendedHighestSequence() == 110U);
  // The packet right after the last jump does: statistics start over there.
  BOOST_TEST(onTime(s, 50001));
  BOOST_TEST(s.extendedHighestSequence() == 50001U);
  BOOST_TEST(s.expected() == 1U);
  BOOST_TEST(s.received() == 1U);
  onTime(s, 50002);
  BOOST_TEST(s.expected() == 2U);
}

BOOST_AUTO_TEST_CASE(jump_within_dropout_is_loss) {
  RtpReceiveStats s;
  for (uint16_t seq = 100; seq <= 110; ++seq) onTime(s, seq);
  BOOST_TEST(onTime(s, 2000));
  BOOST_TEST(s.extendedHighestSequence() == 2000U);
  BOOST_TEST(s.cumulativeLost() == 2000 - 110 - 1);
  // Far behind (more than MAX_MISORDER) is treated like a jump.
  BOOST_TEST(!onTime(s, 1500));
}

BOOST_AUTO_TEST_CASE(jitter_zero_for_constant_spacing_and_grows_with_variation) {
  RtpReceiveStats s;
  for (uint16_t seq = 0; seq < 50; ++seq) onTime(s, seq);
  BOOST_TEST(s.jitter() == 0U);
  // One packet 160 units late: D = 160 then -160 back (RFC 3550 A.8).
  const uint32_t ts = 50 * kSpacing;
  s.update(50, ts + 5000 + 160, ts);
  BOOST_TEST(s.jitter() == 10U);  // 160/16
  s.update(51, 51 * kSpacing + 5000, 51 * kSpacing);
  BOOST_TEST(s.jitter() == 19U);  // 10 + (160 - 10)/16
  // Back on time it decays.
  for (uint16_t seq = 52; seq < 100; ++seq) onTime(s, seq);
  BOOST_TEST(s.jitter() < 3U);
  // Alternating +-80 of variation drives it towards 160.
  RtpReceiveStats v;
  for (uint16_t seq = 0; seq < 400; ++seq) {
    const uint32_t t = static_cast<uint32_t>(seq) * kSpacing;
    v.update(seq, t + 5000 + (seq % 2 == 0 ? 80 : 0), t);
  }
  BOOST_TEST(v.jitter() >= 75U);
  BOOST_TEST(v.jitter() <= 80U);
}

BOOST_AUTO_TEST_CASE(jitter_across_timestamp_and_clock_wrap) {
  RtpReceiveStats s;
  uint32_t ts = 0xffffff00U;
  uint32_t arrival = 0xfffffff0U;
  for (uint16_t seq = 0; seq < 20; ++seq) {
    s.update(seq, arrival, ts);
    ts += kSpacing;
    arrival += kSpacing;
  }
  BOOST_TEST(s.jitter() == 0U);
}

BOOST_AUTO_TEST_CASE(fills_a_report_block) {
  RtpReceiveStats s(0xfeedbeef);
  onTime(s, 0);
  onTime(s, 1);
  for (uint16_t seq = 2; seq <= 256; ++seq) {
    if (seq % 4 != 3) onTime(s, seq);
  }
  ReportBlockData block;
  s.fillReportBlock(block, 0x3a4b8000, 0x00008000);
  BOOST_TEST(block.ssrc == 0xfeedbeefU);
  BOOST_TEST(block.fractionLost == 64);
  BOOST_TEST(block.cumulativeLost == 64);
  BOOST_TEST(block.extendedHighestSequence == 256U);
  BOOST_TEST(block.jitter == 0U);
  BOOST_TEST(block.lastSr == 0x3a4b8000U);
  BOOST_TEST(block.delaySinceLastSr == 0x8000U);
  // The interval restarted: nothing new, nothing lost.
  s.fillReportBlock(block, 0, 0);
  BOOST_TEST(block.fractionLost == 0);
  BOOST_TEST(block.cumulativeLost == 64);
}

BOOST_AUTO_TEST_SUITE_END()
