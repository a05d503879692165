// RTCP is terminated per side: reports about the stream each side sends us,
// SR when we sent it RTP, LSR/DLSR from its last SR, CNAME; never forwarded.

#include <algorithm>
#include <array>
#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>
#include <vector>

#include "BridgeTestUtil.h"
#include "CallFixture.h"
#include "media/rtp/RtcpPacket.h"

using namespace callgate::media::bridge;
using namespace callgate::media::bridge::test;
namespace rtp = callgate::media::rtp;

namespace {

constexpr uint32_t kSourceA = 0xAAAA0001;
constexpr uint32_t kSourceB = 0xBBBB0001;

// Both sides send 20 ms PCMU packets for `seconds`; A's sequence numbers in
// `lostA` never arrive. The bridge ticks every 20 ms.
void talk(Call& c, int seconds, std::initializer_list<int> lostA = {},
          std::optional<int> srAtFrame = std::nullopt) {
  const auto payload = fillPayload(160, 1);
  for (int k = 0; k < seconds * 50; ++k) {
    const bool lost = std::find(lostA.begin(), lostA.end(), k) != lostA.end();
    if (!lost) {
      c.rtp(Side::A, makeRtp(0, static_cast<uint16_t>(1000 + k), 160U * static_cast<uint32_t>(k),
                             kSourceA, payload));
    }
    c.rtp(Side::B, makeRtp(0, static_cast<uint16_t>(5000 + k), 320U * static_cast<uint32_t>(k),
                           kSourceB, payload));
    if (srAtFrame && *srAtFrame == k) {
      std::vector<uint8_t> sr(64);
      const size_t n = rtp::writeSenderReport(sr, kSourceA, 0x11223344, 0x55667788,
                                              160U * static_cast<uint32_t>(k),
                                              static_cast<uint32_t>(k), 160U * k, {});
      sr.resize(n);
      c.rtcp(Side::A, sr);
    }
    c.tick();
    c.now += 20'000;
  }
}

struct Report {
  uint8_t type = 0;
  uint32_t ssrc = 0;
  std::optional<rtp::SenderReport> sr;
  std::optional<rtp::ReportBlockData> block;
  std::optional<std::string> cname;
  uint32_t cnameSsrc = 0;
};

Report parseReport(std::vector<uint8_t>& bytes) {
  Report r;
  const auto compound = rtp::RtcpCompound::parse(bytes);
  BOOST_REQUIRE(compound.has_value());
  BOOST_REQUIRE(compound->packetCount() == 2U);
  auto it = compound->begin();
  const rtp::RtcpPacket first = *it;
  r.type = first.packetType();
  if (const auto sr = rtp::SenderReport::from(first)) {
    r.ssrc = sr->ssrc();
    r.sr = sr;
    if (const auto b = sr->reportBlock(0)) r.block = b->data();
  } else if (const auto rr = rtp::ReceiverReport::from(first)) {
    r.ssrc = rr->ssrc();
    if (const auto b = rr->reportBlock(0)) r.block = b->data();
  }
  ++it;
  const auto sdes = rtp::Sdes::from(*it);
  BOOST_REQUIRE(sdes.has_value());
  for (const rtp::SdesChunk chunk : *sdes) {
    r.cnameSsrc = chunk.ssrc();
    if (const auto text = chunk.find(rtp::SdesType::kCname)) r.cname = std::string(*text);
  }
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bridge_rtcp)

BOOST_AUTO_TEST_CASE(sender_report_shows_loss_lsr_and_cname) {
  Call c(pcmu(), pcmu());
  talk(c, 5, {10, 20}, 25);  // A's SR arrives at 500 ms
  BOOST_REQUIRE(!c.a.rtcp.empty());
  BOOST_TEST(c.bridge->stats().rtcpSent == c.a.rtcp.size() + c.b.rtcp.size());

  // The first report comes 1-2 s after media started (RFC 3550 §6.2).
  BOOST_TEST(c.a.rtcp.front().atUs >= 1'000'000);
  BOOST_TEST(c.a.rtcp.front().atUs <= 2'020'000);

  SentRtcp& last = c.a.rtcp.back();
  Report r = parseReport(last.bytes);
  BOOST_TEST(r.type == rtp::RtcpType::kSenderReport);  // B's audio went to A
  BOOST_TEST(r.ssrc == Call::kSsrcA);
  BOOST_REQUIRE(r.block.has_value());
  BOOST_TEST(r.block->ssrc == kSourceA);
  BOOST_TEST(r.block->cumulativeLost == 2);
  const auto framesBefore = static_cast<uint32_t>(last.atUs / 20'000);  // sent before the tick
  BOOST_TEST(r.block->extendedHighestSequence == 1000U + framesBefore);
  BOOST_TEST(r.block->lastSr == 0x33445566U);  // middle 32 bits of A's NTP time
  const int64_t sinceSr = last.atUs - 500'000;
  BOOST_TEST(r.block->delaySinceLastSr == static_cast<uint32_t>((sinceSr << 16) / 1'000'000));
  BOOST_TEST(r.block->jitter == 0U);  // perfectly regular arrival
  BOOST_REQUIRE(r.cname.has_value());
  BOOST_TEST(*r.cname == "bridge@callgate.test");
  BOOST_TEST(r.cnameSsrc == Call::kSsrcA);

  // The sender info matches what A actually got from us.
  size_t sent = 0;
  const SentRtp* newest = nullptr;
  for (const auto& s : c.a.rtp) {
    if (s.atUs <= last.atUs) {
      ++sent;
      newest = &s;
    }
  }
  BOOST_REQUIRE(newest);
  BOOST_TEST(r.sr->packetCount() == sent);
  BOOST_TEST(r.sr->octetCount() == 160U * sent);
  BOOST_TEST(r.sr->rtpTimestamp() ==
             newest->timestamp + static_cast<uint32_t>((last.atUs - newest->atUs) * 8 / 1000));

  // B's report is about B's stream: nothing lost, no SR seen.
  BOOST_REQUIRE(!c.b.rtcp.empty());
  Report rb = parseReport(c.b.rtcp.back().bytes);
  BOOST_TEST(rb.ssrc == Call::kSsrcB);
  BOOST_REQUIRE(rb.block.has_value());
  BOOST_TEST(rb.block->ssrc == kSourceB);
  BOOST_TEST(rb.block->cumulativeLost == 0);
  BOOST_TEST(rb.block->lastSr == 0U);
}

BOOST_AUTO_TEST_CASE(reports_are_spaced_about_five_seconds) {
  Call c(pcmu(), pcmu());
  talk(c, 60);
  BOOST_REQUIRE(c.a.rtcp.size() >= 8U);
  int64_t total = 0;
  for (size_t i = 1; i < c.a.rtcp.size(); ++i) {
    const int64_t gap = c.a.rtcp[i].atUs - c.a.rtcp[i - 1].atUs;
    BOOST_TEST(gap >= 2'500'000);
    BOOST_TEST(gap <= 7'520'000);
    total += gap;
  }
  const auto mean = static_cast<double>(total) / static_cast<double>(c.a.rtcp.size() - 1);
  BOOST_TEST(mean > 3'500'000.0);
  BOOST_TEST(mean < 6'500'000.0);
}

BOOST_AUTO_TEST_CASE(receiver_report_when_we_send_nothing_to_the_side) {
  Call c(pcmu(), pcmu(), /*sendToA=*/false, /*sendToB=*/true);  // A is on hold
  talk(c, 3);
  BOOST_TEST(c.a.rtp.empty());
  BOOST_REQUIRE(!c.a.rtcp.empty());  // RTCP goes on during hold (RFC 3264 §5.1)
  Report r = parseReport(c.a.rtcp.back().bytes);
  BOOST_TEST(r.type == rtp::RtcpType::kReceiverReport);
  BOOST_TEST(r.ssrc == Call::kSsrcA);
  BOOST_REQUIRE(r.block.has_value());
  BOOST_TEST(r.block->ssrc == kSourceA);
  Report rb = parseReport(c.b.rtcp.back().bytes);
  BOOST_TEST(rb.type == rtp::RtcpType::kSenderReport);
}

BOOST_AUTO_TEST_CASE(rtcp_is_never_forwarded_and_malformed_rtcp_is_ignored) {
  Call c(pcmu(), pcmu());
  // An RR from A about our stream, garbage, and a truncated SR.
  std::vector<uint8_t> rr(64);
  rr.resize(rtp::writeReceiverReport(rr, kSourceA, {}));
  c.rtcp(Side::A, rr);
  c.rtcp(Side::A, {0x81, 0xC8, 0x00, 0x0C, 0x01});
  c.rtcp(Side::A, {0xFF, 0xFF});
  c.rtcp(Side::A, {});
  const BridgeStats before = c.bridge->stats();
  BOOST_TEST(before.droppedWrongPayloadType == 0U);
  talk(c, 3);
  for (auto& sent : c.b.rtcp) {
    const Report r = parseReport(sent.bytes);
    BOOST_TEST(r.ssrc == Call::kSsrcB);  // only our own reports
  }
  for (auto& sent : c.a.rtcp) {
    const Report r = parseReport(sent.bytes);
    BOOST_TEST(r.ssrc == Call::kSsrcA);
    BOOST_REQUIRE(r.block.has_value());
    BOOST_TEST(r.block->lastSr == 0U);  // no SR was accepted
  }
  BOOST_TEST(c.bridge->stats().droppedWrongPayloadType == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
