// Fuzzes RtcpCompound::parse and every typed view: all fields are read, SDES
// chunks and items walked, and SSRC setters round-trip without touching
// anything else.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "media/rtp/RtcpPacket.h"

namespace {

using namespace callgate::media::rtp;

void check(bool condition) {
  if (!condition) std::abort();
}

uint64_t visitBlock(ReportBlock block) {
  const ReportBlockData d = block.data();
  check(d.cumulativeLost >= -0x800000 && d.cumulativeLost <= 0x7fffff);
  const uint32_t ssrc = block.ssrc();
  block.setSsrc(~ssrc);
  check(block.ssrc() == ~ssrc);
  block.setSsrc(ssrc);
  block.setCumulativeLost(d.cumulativeLost);
  block.setFractionLost(d.fractionLost);
  check(block.data() == d);
  return d.ssrc + d.fractionLost + static_cast<uint32_t>(d.cumulativeLost) +
         d.extendedHighestSequence + d.jitter + d.lastSr + d.delaySinceLastSr;
}

uint64_t visit(const RtcpPacket& packet) {
  uint64_t sum = packet.count() + packet.packetType() + packet.paddingSize();
  check(packet.body().size() + RtcpPacket::kHeaderSize + packet.paddingSize() ==
        packet.bytes().size());
  if (auto sr = SenderReport::from(packet)) {
    sum += sr->ssrc() + sr->ntpSeconds() + sr->ntpFraction() + sr->ntpMiddle32() +
           sr->rtpTimestamp() + sr->packetCount() + sr->octetCount();
    for (size_t i = 0; i < sr->reportCount(); ++i) sum += visitBlock(sr->reportBlock(i).value());
    check(!sr->reportBlock(sr->reportCount()).has_value());
  }
  if (auto rr = ReceiverReport::from(packet)) {
    sum += rr->ssrc();
    for (size_t i = 0; i < rr->reportCount(); ++i) sum += visitBlock(rr->reportBlock(i).value());
  }
  if (const auto sdes = Sdes::from(packet)) {
    size_t chunks = 0;
    for (const SdesChunk chunk : *sdes) {
      ++chunks;
      sum += chunk.ssrc();
      for (const SdesItem item : chunk) {
        sum += item.type;
        for (const char c : item.text) sum += static_cast<uint8_t>(c);
      }
      if (const auto cname = chunk.find(SdesType::kCname)) sum += cname->size();
    }
    check(chunks == sdes->chunkCount());
  }
  if (const auto bye = Bye::from(packet)) {
    for (size_t i = 0; i < bye->ssrcCount(); ++i) sum += bye->ssrc(i);
    sum += bye->reason().size();
  }
  if (auto fb = Feedback::from(packet)) {
    const uint32_t sender = fb->senderSsrc();
    const uint32_t media = fb->mediaSsrc();
    fb->setSenderSsrc(media);
    fb->setMediaSsrc(sender);
    check(fb->senderSsrc() == media && fb->mediaSsrc() == sender);
    fb->setSenderSsrc(sender);
    fb->setMediaSsrc(media);
    sum += fb->fmt() + fb->fci().size() + fb->isPayloadSpecific();
  }
  if (const auto app = App::from(packet)) {
    sum += app->subtype() + app->ssrc() + app->name().size() + app->data().size();
  }
  if (const auto xr = ExtendedReport::from(packet)) sum += xr->ssrc() + xr->blocks().size();
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  const auto compound = RtcpCompound::parse(bytes);
  if (!compound) return 0;
  const std::vector<uint8_t> original = bytes;
  size_t packets = 0;
  size_t total = 0;
  uint64_t sum = 0;
  for (const RtcpPacket packet : *compound) {
    ++packets;
    total += packet.bytes().size();
    sum += visit(packet);
  }
  (void)sum;
  check(packets == compound->packetCount());
  check(total == size);
  check(bytes == original);  // every setter put back what it changed
  return 0;
}
