#include <array>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "HexBytes.h"
#include "media/rtp/RtcpPacket.h"

using namespace callgate::media::rtp;
using callgate::media::test::hexBytes;

namespace {

// SR from SSRC 0x1234 with one report block, then SDES with CNAME and TOOL.
std::vector<uint8_t> srAndSdes() {
  return hexBytes(
      // SR, RC=1, length 12 words
      "81 c8 00 0c  00 00 12 34  e1 2f 3a 4b  80 00 00 00  00 01 e2 40  00 00 00 0a  00 00 06 40"
      // report block: ssrc, fraction 0x40, cumulative -2, ext seq, jitter, LSR, DLSR
      "55 66 77 88  40 ff ff fe  00 01 00 05  00 00 00 20  2f 3a 4b 80  00 01 00 00"
      // SDES, SC=1, length 5 words: CNAME "abcd@efg", TOOL "cg", null, pad
      "81 ca 00 05  00 00 12 34  01 08 61 62  63 64 40 65  66 67 06 02  63 67 00 00");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rtcp_packet)

BOOST_AUTO_TEST_CASE(compound_sr_and_sdes) {
  auto bytes = srAndSdes();
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  BOOST_TEST(compound->packetCount() == 2U);
  auto it = compound->begin();
  const RtcpPacket first = *it;
  BOOST_TEST(first.packetType() == RtcpType::kSenderReport);
  BOOST_TEST(first.count() == 1);
  BOOST_TEST(first.bytes().size() == 52U);

  const auto sr = SenderReport::from(first);
  BOOST_REQUIRE(sr.has_value());
  BOOST_TEST(sr->ssrc() == 0x1234U);
  BOOST_TEST(sr->ntpSeconds() == 0xe12f3a4bU);
  BOOST_TEST(sr->ntpFraction() == 0x80000000U);
  BOOST_TEST(sr->ntpMiddle32() == 0x3a4b8000U);
  BOOST_TEST(sr->rtpTimestamp() == 123456U);
  BOOST_TEST(sr->packetCount() == 10U);
  BOOST_TEST(sr->octetCount() == 1600U);
  BOOST_TEST(sr->reportCount() == 1U);
  BOOST_TEST(!sr->reportBlock(1).has_value());
  const auto block = sr->reportBlock(0);
  BOOST_REQUIRE(block.has_value());
  BOOST_TEST(block->ssrc() == 0x55667788U);
  BOOST_TEST(block->fractionLost() == 0x40);
  BOOST_TEST(block->cumulativeLost() == -2);
  BOOST_TEST(block->extendedHighestSequence() == 0x00010005U);
  BOOST_TEST(block->jitter() == 32U);
  BOOST_TEST(block->lastSr() == 0x2f3a4b80U);
  BOOST_TEST(block->delaySinceLastSr() == 65536U);
  BOOST_TEST(!ReceiverReport::from(first).has_value());
  BOOST_TEST(!Sdes::from(first).has_value());

  ++it;
  const RtcpPacket second = *it;
  const auto sdes = Sdes::from(second);
  BOOST_REQUIRE(sdes.has_value());
  BOOST_TEST(sdes->chunkCount() == 1U);
  size_t chunks = 0;
  for (const SdesChunk chunk : *sdes) {
    ++chunks;
    BOOST_TEST(chunk.ssrc() == 0x1234U);
    std::vector<std::pair<int, std::string>> items;
    for (const SdesItem item : chunk) items.emplace_back(item.type, std::string(item.text));
    BOOST_REQUIRE(items.size() == 2U);
    BOOST_TEST(items[0].first == SdesType::kCname);
    BOOST_TEST(items[0].second == "abcd@efg");
    BOOST_TEST(items[1].first == SdesType::kTool);
    BOOST_TEST(items[1].second == "cg");
    BOOST_TEST(chunk.find(SdesType::kCname).value() == "abcd@efg");
    BOOST_TEST(!chunk.find(SdesType::kEmail).has_value());
  }
  BOOST_TEST(chunks == 1U);
  ++it;
  BOOST_TEST((it == compound->end()));
}

BOOST_AUTO_TEST_CASE(in_place_rewrites) {
  auto bytes = srAndSdes();
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  auto sr = SenderReport::from(*compound->begin());
  BOOST_REQUIRE(sr.has_value());
  sr->setSsrc(0xa1a2a3a4);
  auto block = sr->reportBlock(0);
  block->setSsrc(0xb1b2b3b4);
  block->setFractionLost(0x11);
  block->setCumulativeLost(-0x800000 - 5);  // clamps
  block->setExtendedHighestSequence(0x00020001);
  block->setLastSr(0x01020304);
  block->setDelaySinceLastSr(0x05060708);
  const auto expected = hexBytes(
      "a1 a2 a3 a4  e1 2f 3a 4b  80 00 00 00  00 01 e2 40  00 00 00 0a  00 00 06 40"
      "b1 b2 b3 b4  11 80 00 00  00 02 00 01  00 00 00 20  01 02 03 04  05 06 07 08");
  BOOST_TEST(std::vector<uint8_t>(bytes.begin() + 4, bytes.begin() + 52) == expected,
             boost::test_tools::per_element());
  BOOST_TEST(block->cumulativeLost() == -0x800000);
  block->setCumulativeLost(0x7fffff + 1);
  BOOST_TEST(block->cumulativeLost() == 0x7fffff);
  block->setCumulativeLost(1000);
  BOOST_TEST(block->cumulativeLost() == 1000);
}

BOOST_AUTO_TEST_CASE(receiver_report_with_blocks) {
  auto bytes = hexBytes(
      "82 c9 00 0d  00 00 00 01"
      "00 00 00 0a  00 00 00 05  00 00 ff ff  00 00 00 03  00 00 00 00  00 00 00 00"
      "00 00 00 0b  ff 00 00 0c  00 03 00 07  00 00 01 00  12 34 56 78  00 00 80 00");
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  auto rr = ReceiverReport::from(*compound->begin());
  BOOST_REQUIRE(rr.has_value());
  BOOST_TEST(rr->ssrc() == 1U);
  BOOST_TEST(rr->reportCount() == 2U);
  const ReportBlockData a = rr->reportBlock(0)->data();
  BOOST_TEST(a.ssrc == 10U);
  BOOST_TEST(a.fractionLost == 0);
  BOOST_TEST(a.cumulativeLost == 5);
  BOOST_TEST(a.extendedHighestSequence == 0xffffU);
  BOOST_TEST(a.jitter == 3U);
  const ReportBlockData b = rr->reportBlock(1)->data();
  BOOST_TEST(b.ssrc == 11U);
  BOOST_TEST(b.fractionLost == 0xff);
  BOOST_TEST(b.cumulativeLost == 12);
  BOOST_TEST(b.extendedHighestSequence == 0x00030007U);
  BOOST_TEST(b.jitter == 256U);
  BOOST_TEST(b.lastSr == 0x12345678U);
  BOOST_TEST(b.delaySinceLastSr == 0x8000U);
  rr->setSsrc(0x99);
  BOOST_TEST(bytes[7] == 0x99);
}

BOOST_AUTO_TEST_CASE(report_count_larger_than_the_packet_is_rejected_by_the_view) {
  // RR claiming two blocks with room for one: the compound is fine, the RR is not.
  auto bytes = hexBytes(
      "82 c9 00 07  00 00 00 01"
      "00 00 00 0a  00 00 00 05  00 00 ff ff  00 00 00 03  00 00 00 00  00 00 00 00");
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  BOOST_TEST(!ReceiverReport::from(*compound->begin()).has_value());
  // An SR whose sender info is cut short.
  auto sr = hexBytes("80 c8 00 03  00 00 00 01  00 00 00 02  00 00 00 03");
  const auto srCompound = RtcpCompound::parse(sr);
  BOOST_REQUIRE(srCompound.has_value());
  BOOST_TEST(!SenderReport::from(*srCompound->begin()).has_value());
}

BOOST_AUTO_TEST_CASE(rtpfb_nack_and_psfb_pli) {
  auto bytes = hexBytes(
      // reduced-size compound (RFC 5506): starts with feedback, no RR
      "81 cd 00 03  00 00 00 01  00 00 00 02  00 64 00 05"  // NACK PID 100, BLP 0x0005
      "81 ce 00 02  00 00 00 01  00 00 00 02");             // PLI
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  BOOST_TEST(compound->packetCount() == 2U);
  auto it = compound->begin();
  auto nack = Feedback::from(*it);
  BOOST_REQUIRE(nack.has_value());
  BOOST_TEST(!nack->isPayloadSpecific());
  BOOST_TEST(nack->packetType() == RtcpType::kRtpFeedback);
  BOOST_TEST(nack->fmt() == RtcpFeedbackFmt::kNack);
  BOOST_TEST(nack->senderSsrc() == 1U);
  BOOST_TEST(nack->mediaSsrc() == 2U);
  const auto fci = nack->fci();
  BOOST_REQUIRE(fci.size() == 4U);
  BOOST_TEST(((fci[0] << 8) | fci[1]) == 100);
  BOOST_TEST(((fci[2] << 8) | fci[3]) == 5);
  nack->setSenderSsrc(0x0a0b0c0d);
  nack->setMediaSsrc(0x01020304);
  BOOST_TEST(std::vector<uint8_t>(bytes.begin() + 4, bytes.begin() + 12) ==
                 hexBytes("0a 0b 0c 0d 01 02 03 04"),
             boost::test_tools::per_element());

  ++it;
  const auto pli = Feedback::from(*it);
  BOOST_REQUIRE(pli.has_value());
  BOOST_TEST(pli->isPayloadSpecific());
  BOOST_TEST(pli->fmt() == RtcpFeedbackFmt::kPli);
  BOOST_TEST(pli->fci().empty());
  BOOST_TEST(!App::from(*it).has_value());
}

BOOST_AUTO_TEST_CASE(remb_as_psfb_and_as_app) {
  auto bytes = hexBytes(
      // PSFB FMT 15 carrying "REMB": 1 SSRC, exponent 2, mantissa 0x3e8 -> 4000 bps
      "8f ce 00 05  00 00 00 01  00 00 00 00  52 45 4d 42  01 08 03 e8  00 00 00 07"
      // APP subtype 3 named "REMB" with eight bytes of data
      "83 cc 00 04  00 00 00 01  52 45 4d 42  00 00 0f a0  00 00 00 07");
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  auto it = compound->begin();
  const auto afb = Feedback::from(*it);
  BOOST_REQUIRE(afb.has_value());
  BOOST_TEST(afb->fmt() == RtcpFeedbackFmt::kApplicationLayer);
  BOOST_TEST(afb->mediaSsrc() == 0U);
  const auto fci = afb->fci();
  BOOST_REQUIRE(fci.size() == 12U);
  BOOST_TEST(std::string(fci.begin(), fci.begin() + 4) == "REMB");
  const unsigned exponent = fci[5] >> 2;
  const unsigned mantissa = ((fci[5] & 3U) << 16) | (fci[6] << 8) | fci[7];
  BOOST_TEST((mantissa << exponent) == 4000U);

  ++it;
  const auto app = App::from(*it);
  BOOST_REQUIRE(app.has_value());
  BOOST_TEST(app->subtype() == 3);
  BOOST_TEST(app->ssrc() == 1U);
  BOOST_TEST(app->name() == "REMB");
  BOOST_TEST(app->data().size() == 8U);
  BOOST_TEST(app->data()[3] == 0xa0);
}

BOOST_AUTO_TEST_CASE(bye_with_reason_and_xr) {
  auto bytes = hexBytes(
      "82 cb 00 04  00 00 00 01  00 00 00 02  05 65 6e 64  65 64 00 00"    // BYE 2 SSRCs "ended"
      "80 cf 00 04  00 00 00 09  04 00 00 02  e1 2f 3a 4b  80 00 00 00");  // XR with RRTR
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  auto it = compound->begin();
  const auto bye = Bye::from(*it);
  BOOST_REQUIRE(bye.has_value());
  BOOST_TEST(bye->ssrcCount() == 2U);
  BOOST_TEST(bye->ssrc(0) == 1U);
  BOOST_TEST(bye->ssrc(1) == 2U);
  BOOST_TEST(bye->ssrc(2) == 0U);
  BOOST_TEST(bye->reason() == "ended");
  ++it;
  const auto xr = ExtendedReport::from(*it);
  BOOST_REQUIRE(xr.has_value());
  BOOST_TEST(xr->ssrc() == 9U);
  BOOST_TEST(xr->blocks().size() == 12U);
  BOOST_TEST(xr->blocks()[0] == 4);  // RRTR block type
}

BOOST_AUTO_TEST_CASE(bye_reason_longer_than_the_packet_is_rejected) {
  auto bytes = hexBytes("81 cb 00 02  00 00 00 01  09 65 6e 64");
  const auto compound = RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  BOOST_TEST(!Bye::from(*compound->begin()).has_value());
}

BOOST_AUTO_TEST_CASE(sdes_chunk_overruns_are_rejected) {
  const char* bad[] = {
      "81 ca 00 02  00 00 00 01  01 09 61 62",  // item longer than the packet
      "81 ca 00 02  00 00 00 01  01 02 61 62",  // no null terminator
      "82 ca 00 02  00 00 00 01  00 00 00 00",  // two chunks announced, one present
  };
  for (const char* text : bad) {
    auto bytes = hexBytes(text);
    const auto compound = RtcpCompound::parse(bytes);
    BOOST_REQUIRE(compound.has_value());
    BOOST_TEST(!Sdes::from(*compound->begin()).has_value(), text);
  }
  // Two chunks, the first with no items.
  auto ok = hexBytes("82 ca 00 04  00 00 00 01  00 00 00 00  00 00 00 02  01 01 78 00");
  const auto compound = RtcpCompound::parse(ok);
  BOOST_REQUIRE(compound.has_value());
  const auto sdes = Sdes::from(*compound->begin());
  BOOST_REQUIRE(sdes.has_value());
  std::vector<uint32_t> ssrcs;
  std::vector<std::string> cnames;
  for (const SdesChunk chunk : *sdes) {
    ssrcs.push_back(chunk.ssrc());
    cnames.emplace_back(chunk.find(SdesType::kCname).value_or("-"));
  }
  BOOST_TEST(ssrcs == (std::vector<uint32_t>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(cnames == (std::vector<std::string>{"-", "x"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(padding_only_in_the_last_packet) {
  // RR (no blocks) then a padded BYE: the 4 padding bytes end with their count.
  auto ok = hexBytes("80 c9 00 01  00 00 00 01  a1 cb 00 02  00 00 00 01  00 00 00 04");
  const auto compound = RtcpCompound::parse(ok);
  BOOST_REQUIRE(compound.has_value());
  auto it = compound->begin();
  ++it;
  const RtcpPacket bye = *it;
  BOOST_TEST(bye.hasPadding());
  BOOST_TEST(bye.paddingSize() == 4U);
  BOOST_TEST(bye.body().size() == 4U);
  BOOST_TEST(Bye::from(bye)->reason().empty());

  // The same padding on the first packet is invalid.
  auto bad = hexBytes("a0 c9 00 02  00 00 00 01  00 00 00 04  81 cb 00 01  00 00 00 01");
  BOOST_TEST(!RtcpCompound::parse(bad).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_bad_compounds) {
  const char* bad[] = {
      "",
      "80 c9 00",                               // shorter than a header
      "80 c9 00 02  00 00 00 01",               // length beyond the datagram
      "80 c9 00 01  00 00 00 01  80 c8",        // trailing partial header
      "80 c9 00 01  00 00 00 01  00 00 00 00",  // trailing garbage (version 0)
      "40 c9 00 01  00 00 00 01",               // version 1
      "80 60 00 01  00 00 00 01",               // type 96 is RTP, not RTCP
      "80 e0 00 01  00 00 00 01",               // type 224 is outside 192..223
      "a0 c9 00 01  00 00 00 00",               // padding count 0
      "a0 c9 00 01  00 00 00 05",               // padding beyond the body
  };
  for (const char* text : bad) {
    auto bytes = hexBytes(text);
    BOOST_TEST(!RtcpCompound::parse(bytes).has_value(), text);
  }
}

BOOST_AUTO_TEST_CASE(writers_round_trip) {
  const std::array<ReportBlockData, 2> blocks{
      ReportBlockData{0x1111, 25, -3, 0x0001fffe, 480, 0x3a4b8000, 0x00018000},
      ReportBlockData{0x2222, 255, 0x7fffff, 7, 0, 0, 0},
  };
  std::array<uint8_t, 1500> buffer{};
  std::span<uint8_t> out(buffer);
  size_t n =
      writeSenderReport(out, 0xabcdef01, 0xe12f3a4b, 0x12345678, 960000, 5000, 800000, blocks);
  BOOST_TEST(n == 4U + 24 + 48);
  size_t total = n;
  n = writeSdesCname(out.subspan(total), 0xabcdef01, "callgate@example");
  BOOST_TEST(n == 4U + 24);  // 4 SSRC + 2 + 16 text + null, padded to 24
  total += n;
  n = writeBye(out.subspan(total), 0xabcdef01);
  BOOST_TEST(n == 8U);
  total += n;

  const auto compound = RtcpCompound::parse(out.first(total));
  BOOST_REQUIRE(compound.has_value());
  BOOST_REQUIRE(compound->packetCount() == 3U);
  auto it = compound->begin();
  const auto sr = SenderReport::from(*it);
  BOOST_REQUIRE(sr.has_value());
  BOOST_TEST(sr->ssrc() == 0xabcdef01U);
  BOOST_TEST(sr->ntpSeconds() == 0xe12f3a4bU);
  BOOST_TEST(sr->ntpFraction() == 0x12345678U);
  BOOST_TEST(sr->rtpTimestamp() == 960000U);
  BOOST_TEST(sr->packetCount() == 5000U);
  BOOST_TEST(sr->octetCount() == 800000U);
  BOOST_REQUIRE(sr->reportCount() == 2U);
  BOOST_TEST((sr->reportBlock(0)->data() == blocks[0]));
  BOOST_TEST((sr->reportBlock(1)->data() == blocks[1]));
  ++it;
  const auto sdes = Sdes::from(*it);
  BOOST_REQUIRE(sdes.has_value());
  BOOST_TEST((*sdes->begin()).ssrc() == 0xabcdef01U);
  BOOST_TEST((*sdes->begin()).find(SdesType::kCname).value() == "callgate@example");
  ++it;
  const auto bye = Bye::from(*it);
  BOOST_REQUIRE(bye.has_value());
  BOOST_TEST(bye->ssrcCount() == 1U);
  BOOST_TEST(bye->ssrc(0) == 0xabcdef01U);

  std::array<uint8_t, 64> rrBuffer{};
  const size_t rrSize = writeReceiverReport(rrBuffer, 77, std::span(blocks).first(1));
  BOOST_TEST(rrSize == 32U);
  const auto rrCompound = RtcpCompound::parse(std::span(rrBuffer).first(rrSize));
  BOOST_REQUIRE(rrCompound.has_value());
  const auto rr = ReceiverReport::from(*rrCompound->begin());
  BOOST_REQUIRE(rr.has_value());
  BOOST_TEST(rr->ssrc() == 77U);
  BOOST_TEST((rr->reportBlock(0)->data() == blocks[0]));
}

BOOST_AUTO_TEST_CASE(writers_clamp_and_refuse) {
  // Cumulative loss beyond 24 bits is clamped on the wire.
  const std::array<ReportBlockData, 1> blocks{ReportBlockData{1, 0, -9000000, 0, 0, 0, 0}};
  std::array<uint8_t, 32> rr{};
  BOOST_TEST(writeReceiverReport(rr, 5, blocks) == 32U);
  BOOST_TEST(std::vector<uint8_t>(rr.begin() + 12, rr.begin() + 16) == hexBytes("00 80 00 00"),
             boost::test_tools::per_element());
  // Too small a buffer: nothing is written.
  std::array<uint8_t, 31> small{};
  BOOST_TEST(writeReceiverReport(small, 5, blocks) == 0U);
  BOOST_TEST(writeSenderReport(small, 5, 0, 0, 0, 0, 0, {}) == 28U);
  BOOST_TEST(writeSenderReport(std::span(small).first(27), 5, 0, 0, 0, 0, 0, {}) == 0U);
  BOOST_TEST(writeBye(std::span(small).first(7), 1) == 0U);
  // Report counts are 5 bits.
  std::vector<ReportBlockData> many(32);
  std::vector<uint8_t> big(2000);
  BOOST_TEST(writeReceiverReport(big, 1, many) == 0U);
  BOOST_TEST(writeReceiverReport(big, 1, std::span(many).first(31)) == 8U + 31 * 24);
}

BOOST_AUTO_TEST_CASE(sdes_cname_termination_and_padding) {
  // Text length -> chunk size: there is always at least one null after the item.
  const std::pair<size_t, size_t> cases[] = {{1, 8}, {2, 12}, {5, 12}, {6, 16}, {255, 264}};
  for (const auto& [length, chunk] : cases) {
    const std::string cname(length, 'c');
    std::array<uint8_t, 300> out;
    out.fill(0xee);
    const size_t n = writeSdesCname(out, 42, cname);
    BOOST_TEST(n == 4 + chunk, "length " << length);
    BOOST_TEST(out[10 + length] == 0);  // terminator
    for (size_t i = 10 + length; i < n; ++i) BOOST_TEST(out[i] == 0);
    BOOST_TEST(out[n] == 0xee);  // nothing written past the end
    const auto compound = RtcpCompound::parse(std::span(out).first(n));
    BOOST_REQUIRE(compound.has_value());
    const auto sdes = Sdes::from(*compound->begin());
    BOOST_REQUIRE(sdes.has_value());
    BOOST_TEST((*sdes->begin()).find(SdesType::kCname).value() == cname);
  }
  std::array<uint8_t, 300> out{};
  BOOST_TEST(writeSdesCname(out, 1, std::string(256, 'c')) == 0U);
  BOOST_TEST(writeSdesCname(std::span(out).first(15), 1, "ab") == 0U);
  BOOST_TEST(writeSdesCname(std::span(out).first(16), 1, "ab") == 16U);
}

BOOST_AUTO_TEST_SUITE_END()
