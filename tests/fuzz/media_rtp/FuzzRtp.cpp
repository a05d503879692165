// Fuzzes RtpPacket::parse and every accessor; for a parsed packet, each setter
// writes a new value that must read back, and writing the old values back must
// restore the original bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "media/rtp/Demux.h"
#include "media/rtp/RtpPacket.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::media::rtp;
  std::vector<uint8_t> bytes(data, data + size);
  (void)classify(bytes);
  auto packet = RtpPacket::parse(bytes);
  if (!packet) return 0;

  check(packet->headerSize() + packet->payload().size() + packet->paddingSize() == size);
  uint64_t sum = packet->marker() + packet->payloadType() + packet->sequence() +
                 packet->timestamp() + packet->ssrc() + packet->extensionProfile();
  for (size_t i = 0; i <= packet->csrcCount(); ++i) sum += packet->csrc(i);
  for (const uint8_t b : packet->extensionData()) sum += b;
  for (const uint8_t b : packet->payload()) sum += b;
  for (unsigned id = 0; id < 256; ++id) {
    if (const auto element = packet->findExtension(static_cast<uint8_t>(id))) {
      const auto ext = packet->extensionData();
      check(element->data() >= ext.data() &&
            element->data() + element->size() <= ext.data() + ext.size());
      for (const uint8_t b : *element) sum += b;
    }
  }
  (void)sum;

  const std::vector<uint8_t> original = bytes;
  const bool marker = packet->marker();
  const uint8_t pt = packet->payloadType();
  const uint16_t seq = packet->sequence();
  const uint32_t ts = packet->timestamp();
  const uint32_t ssrc = packet->ssrc();
  packet->setMarker(!marker);
  packet->setPayloadType(static_cast<uint8_t>(pt ^ 0x55));
  packet->setSequence(static_cast<uint16_t>(seq + 1));
  packet->setTimestamp(ts + 960);
  packet->setSsrc(~ssrc);
  check(packet->marker() == !marker);
  check(packet->payloadType() == ((pt ^ 0x55) & 0x7f));
  check(packet->sequence() == static_cast<uint16_t>(seq + 1));
  check(packet->timestamp() == ts + 960);
  check(packet->ssrc() == ~ssrc);
  // The rewritten header must still describe the same layout.
  const auto reparsed = RtpPacket::parse(bytes);
  check(reparsed && reparsed->headerSize() == packet->headerSize() &&
        reparsed->paddingSize() == packet->paddingSize());
  packet->setMarker(marker);
  packet->setPayloadType(pt);
  packet->setSequence(seq);
  packet->setTimestamp(ts);
  packet->setSsrc(ssrc);
  check(bytes == original);

  uint8_t header[RtpPacket::kFixedHeaderSize];
  check(RtpPacket::writeHeader(header, pt, marker, seq, ts, ssrc) == sizeof header);
  const auto written = RtpPacket::parse(header);
  check(written && written->payloadType() == pt && written->marker() == marker &&
        written->sequence() == seq && written->timestamp() == ts && written->ssrc() == ssrc);
  return 0;
}
