#include "media/rtp/RtcpPacket.h"

#include <algorithm>

#include "media/rtp/ByteOrder.h"

namespace callgate::media::rtp {

namespace {

constexpr uint8_t kVersion = 2;
constexpr uint8_t kMaxCount = 31;       // RC/SC/FMT is 5 bits
constexpr size_t kSenderInfoSize = 24;  // SSRC + NTP(8) + RTP ts + packets + octets
constexpr int32_t kMaxCumulativeLost = 0x7fffff;
constexpr int32_t kMinCumulativeLost = -0x800000;

// Bytes of the packet that starts at `p`, from its length field (RFC 3550 §6.4.1:
// 32-bit words minus one).
size_t packetBytes(const uint8_t* p) {
  return (static_cast<size_t>(load16(p + 2)) + 1) * 4;
}

std::string_view textOf(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Length of the SDES chunk at the start of `rest` (SSRC, items, null
// terminator, padding to 32 bits) and of its item list; 0 when malformed.
size_t sdesChunkLength(std::span<const uint8_t> rest, size_t* itemsLength) {
  if (rest.size() < 4) return 0;
  size_t pos = 4;
  for (;;) {
    if (pos >= rest.size()) return 0;
    if (rest[pos] == SdesType::kEnd) break;
    if (rest.size() - pos < 2) return 0;
    const size_t length = rest[pos + 1];
    if (length > rest.size() - pos - 2) return 0;
    pos += 2 + length;
  }
  *itemsLength = pos - 4;
  // The terminator's extra nulls pad to the next 32-bit boundary; a sender that
  // ends the packet before the boundary is tolerated.
  return std::min((pos + 1 + 3) & ~size_t{3}, rest.size());
}

// Common header plus `bodyBytes` (a multiple of 4).
void writeHeader(uint8_t* p, uint8_t count, uint8_t packetType, size_t bodyBytes) {
  p[0] = static_cast<uint8_t>((kVersion << 6) | count);
  p[1] = packetType;
  store16(p + 2, static_cast<uint16_t>((RtcpPacket::kHeaderSize + bodyBytes) / 4 - 1));
}

void writeReportBlock(uint8_t* p, const ReportBlockData& block) {
  store32(p, block.ssrc);
  p[4] = block.fractionLost;
  const int32_t lost = std::clamp(block.cumulativeLost, kMinCumulativeLost, kMaxCumulativeLost);
  store24(p + 5, static_cast<uint32_t>(lost) & 0xffffff);
  store32(p + 8, block.extendedHighestSequence);
  store32(p + 12, block.jitter);
  store32(p + 16, block.lastSr);
  store32(p + 20, block.delaySinceLastSr);
}

}  // namespace

// ---- compound ----

std::optional<RtcpCompound> RtcpCompound::parse(std::span<uint8_t> packet) {
  if (packet.size() < RtcpPacket::kHeaderSize) return std::nullopt;
  size_t pos = 0;
  size_t count = 0;
  while (pos < packet.size()) {
    const size_t left = packet.size() - pos;
    if (left < RtcpPacket::kHeaderSize) return std::nullopt;
    const uint8_t* p = &packet[pos];
    if ((p[0] >> 6) != kVersion) return std::nullopt;
    // RFC 5761 §4 reserves 192..223 for RTCP; anything else is not RTCP.
    if (p[1] < 192 || p[1] > 223) return std::nullopt;
    const size_t length = packetBytes(p);
    if (length > left) return std::nullopt;
    if ((p[0] & 0x20) != 0) {
      // RFC 3550 §6.4.1: only the last packet of a compound may be padded, and
      // the count includes itself.
      if (length != left) return std::nullopt;
      const uint8_t padding = p[length - 1];
      if (padding == 0 || padding > length - RtcpPacket::kHeaderSize) return std::nullopt;
    }
    pos += length;
    ++count;
  }
  return RtcpCompound(packet, count);
}

size_t RtcpCompound::Iterator::currentSize() const {
  // parse() has checked every header, so the length is within rest_.
  return std::min(packetBytes(rest_.data()), rest_.size());
}

RtcpPacket RtcpCompound::Iterator::operator*() const {
  const auto bytes = rest_.first(currentSize());
  const bool padded = (bytes[0] & 0x20) != 0;
  return RtcpPacket(bytes, padded ? bytes.back() : 0);
}

RtcpCompound::Iterator& RtcpCompound::Iterator::operator++() {
  rest_ = rest_.subspan(currentSize());
  return *this;
}

// ---- report blocks ----

uint32_t ReportBlock::ssrc() const {
  return load32(&bytes_[0]);
}

int32_t ReportBlock::cumulativeLost() const {
  const uint32_t raw = load24(&bytes_[5]);
  // Sign-extend the 24-bit two's complement value.
  return (raw & 0x800000) != 0 ? static_cast<int32_t>(raw) - 0x1000000 : static_cast<int32_t>(raw);
}

uint32_t ReportBlock::extendedHighestSequence() const {
  return load32(&bytes_[8]);
}
uint32_t ReportBlock::jitter() const {
  return load32(&bytes_[12]);
}
uint32_t ReportBlock::lastSr() const {
  return load32(&bytes_[16]);
}
uint32_t ReportBlock::delaySinceLastSr() const {
  return load32(&bytes_[20]);
}

ReportBlockData ReportBlock::data() const {
  return ReportBlockData{ssrc(),   fractionLost(), cumulativeLost(),  extendedHighestSequence(),
                         jitter(), lastSr(),       delaySinceLastSr()};
}

void ReportBlock::setSsrc(uint32_t ssrc) {
  store32(&bytes_[0], ssrc);
}
void ReportBlock::setFractionLost(uint8_t fraction) {
  bytes_[4] = fraction;
}

void ReportBlock::setCumulativeLost(int32_t lost) {
  lost = std::clamp(lost, kMinCumulativeLost, kMaxCumulativeLost);
  store24(&bytes_[5], static_cast<uint32_t>(lost) & 0xffffff);
}

void ReportBlock::setExtendedHighestSequence(uint32_t sequence) {
  store32(&bytes_[8], sequence);
}
void ReportBlock::setLastSr(uint32_t lastSr) {
  store32(&bytes_[16], lastSr);
}
void ReportBlock::setDelaySinceLastSr(uint32_t delay) {
  store32(&bytes_[20], delay);
}

// ---- SR / RR ----

std::optional<SenderReport> SenderReport::from(const RtcpPacket& packet) {
  if (packet.packetType() != RtcpType::kSenderReport) return std::nullopt;
  const auto body = packet.body();
  // Profile-specific extensions may follow the blocks (§6.4.1); they are ignored.
  if (body.size() < kSenderInfoSize + packet.count() * ReportBlock::kSize) return std::nullopt;
  return SenderReport(body, packet.count());
}

uint32_t SenderReport::ssrc() const {
  return load32(&body_[0]);
}
uint32_t SenderReport::ntpSeconds() const {
  return load32(&body_[4]);
}
uint32_t SenderReport::ntpFraction() const {
  return load32(&body_[8]);
}
uint32_t SenderReport::ntpMiddle32() const {
  return load32(&body_[6]);
}
uint32_t SenderReport::rtpTimestamp() const {
  return load32(&body_[12]);
}
uint32_t SenderReport::packetCount() const {
  return load32(&body_[16]);
}
uint32_t SenderReport::octetCount() const {
  return load32(&body_[20]);
}
void SenderReport::setSsrc(uint32_t ssrc) {
  store32(&body_[0], ssrc);
}

std::optional<ReportBlock> SenderReport::reportBlock(size_t i) const {
  if (i >= count_) return std::nullopt;
  return ReportBlock(body_.subspan(kSenderInfoSize + i * ReportBlock::kSize, ReportBlock::kSize));
}

std::optional<ReceiverReport> ReceiverReport::from(const RtcpPacket& packet) {
  if (packet.packetType() != RtcpType::kReceiverReport) return std::nullopt;
  const auto body = packet.body();
  if (body.size() < 4 + packet.count() * ReportBlock::kSize) return std::nullopt;
  return ReceiverReport(body, packet.count());
}

uint32_t ReceiverReport::ssrc() const {
  return load32(&body_[0]);
}
void ReceiverReport::setSsrc(uint32_t ssrc) {
  store32(&body_[0], ssrc);
}

std::optional<ReportBlock> ReceiverReport::reportBlock(size_t i) const {
  if (i >= count_) return std::nullopt;
  return ReportBlock(body_.subspan(4 + i * ReportBlock::kSize, ReportBlock::kSize));
}

// ---- SDES ----

std::optional<Sdes> Sdes::from(const RtcpPacket& packet) {
  if (packet.packetType() != RtcpType::kSdes) return std::nullopt;
  std::span<const uint8_t> rest = packet.body();
  for (size_t i = 0; i < packet.count(); ++i) {
    size_t itemsLength = 0;
    const size_t length = sdesChunkLength(rest, &itemsLength);
    if (length == 0) return std::nullopt;
    rest = rest.subspan(length);
  }
  return Sdes(packet.body(), packet.count());
}

Sdes::Iterator::Iterator(std::span<const uint8_t> rest, size_t chunksLeft)
    : rest_(chunksLeft == 0 ? rest.subspan(rest.size()) : rest), chunksLeft_(chunksLeft) {}

SdesChunk Sdes::Iterator::operator*() const {
  size_t itemsLength = 0;
  if (sdesChunkLength(rest_, &itemsLength) == 0) return SdesChunk(0, {});
  return SdesChunk(load32(rest_.data()), rest_.subspan(4, itemsLength));
}

Sdes::Iterator& Sdes::Iterator::operator++() {
  size_t itemsLength = 0;
  const size_t length = sdesChunkLength(rest_, &itemsLength);
  if (length == 0 || chunksLeft_ <= 1) {
    // Past the last chunk: trailing bytes are not chunks.
    rest_ = rest_.subspan(rest_.size());
    chunksLeft_ = 0;
  } else {
    rest_ = rest_.subspan(length);
    --chunksLeft_;
  }
  return *this;
}

SdesItem SdesChunk::Iterator::operator*() const {
  // Sdes::from() has checked the item lengths; stay in bounds regardless.
  if (rest_.size() < 2) return SdesItem{rest_.empty() ? uint8_t{0} : rest_[0], {}};
  const size_t length = std::min<size_t>(rest_[1], rest_.size() - 2);
  return SdesItem{rest_[0], textOf(rest_.subspan(2, length))};
}

SdesChunk::Iterator& SdesChunk::Iterator::operator++() {
  const size_t step = rest_.size() < 2 ? rest_.size() : 2 + static_cast<size_t>(rest_[1]);
  rest_ = rest_.subspan(std::min(step, rest_.size()));
  return *this;
}

std::optional<std::string_view> SdesChunk::find(uint8_t type) const {
  for (const SdesItem item : *this) {
    if (item.type == type) return item.text;
  }
  return std::nullopt;
}

// ---- BYE ----

std::optional<Bye> Bye::from(const RtcpPacket& packet) {
  if (packet.packetType() != RtcpType::kBye) return std::nullopt;
  const std::span<const uint8_t> body = packet.body();
  const size_t ssrcBytes = 4U * packet.count();
  if (body.size() < ssrcBytes) return std::nullopt;
  std::string_view reason;
  if (body.size() > ssrcBytes) {
    // RFC 3550 §6.6: a length octet and the text, padded to 32 bits.
    const size_t length = body[ssrcBytes];
    if (length > body.size() - ssrcBytes - 1) return std::nullopt;
    reason = textOf(body.subspan(ssrcBytes + 1, length));
  }
  return Bye(body, packet.count(), reason);
}

uint32_t Bye::ssrc(size_t i) const {
  if (i >= count_) return 0;
  return load32(&body_[4 * i]);
}

// ---- feedback, APP, XR ----

std::optional<Feedback> Feedback::from(const RtcpPacket& packet) {
  const uint8_t type = packet.packetType();
  if (type != RtcpType::kRtpFeedback && type != RtcpType::kPayloadFeedback) return std::nullopt;
  // RFC 4585 §6.1: packet sender SSRC and media source SSRC precede the FCI.
  if (packet.body().size() < 8) return std::nullopt;
  return Feedback(packet.body(), type, packet.count());
}

uint32_t Feedback::senderSsrc() const {
  return load32(&body_[0]);
}
uint32_t Feedback::mediaSsrc() const {
  return load32(&body_[4]);
}
void Feedback::setSenderSsrc(uint32_t ssrc) {
  store32(&body_[0], ssrc);
}
void Feedback::setMediaSsrc(uint32_t ssrc) {
  store32(&body_[4], ssrc);
}

std::optional<App> App::from(const RtcpPacket& packet) {
  if (packet.packetType() != RtcpType::kApp) return std::nullopt;
  if (packet.body().size() < 8) return std::nullopt;  // SSRC and name
  return App(packet.body(), packet.count());
}

uint32_t App::ssrc() const {
  return load32(&body_[0]);
}
std::string_view App::name() const {
  return textOf(body_.subspan(4, 4));
}

std::optional<ExtendedReport> ExtendedReport::from(const RtcpPacket& packet) {
  if (packet.packetType() != RtcpType::kExtendedReport) return std::nullopt;
  if (packet.body().size() < 4) return std::nullopt;
  return ExtendedReport(packet.body());
}

uint32_t ExtendedReport::ssrc() const {
  return load32(&body_[0]);
}

// ---- writers ----

size_t writeSenderReport(std::span<uint8_t> out, uint32_t ssrc, uint32_t ntpSeconds,
                         uint32_t ntpFraction, uint32_t rtpTimestamp, uint32_t packetCount,
                         uint32_t octetCount, std::span<const ReportBlockData> blocks) {
  if (blocks.size() > kMaxCount) return 0;
  const size_t body = kSenderInfoSize + blocks.size() * ReportBlock::kSize;
  const size_t total = RtcpPacket::kHeaderSize + body;
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeHeader(p, static_cast<uint8_t>(blocks.size()), RtcpType::kSenderReport, body);
  store32(p + 4, ssrc);
  store32(p + 8, ntpSeconds);
  store32(p + 12, ntpFraction);
  store32(p + 16, rtpTimestamp);
  store32(p + 20, packetCount);
  store32(p + 24, octetCount);
  for (size_t i = 0; i < blocks.size(); ++i) {
    writeReportBlock(p + 28 + i * ReportBlock::kSize, blocks[i]);
  }
  return total;
}

size_t writeReceiverReport(std::span<uint8_t> out, uint32_t ssrc,
                           std::span<const ReportBlockData> blocks) {
  if (blocks.size() > kMaxCount) return 0;
  const size_t body = 4 + blocks.size() * ReportBlock::kSize;
  const size_t total = RtcpPacket::kHeaderSize + body;
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeHeader(p, static_cast<uint8_t>(blocks.size()), RtcpType::kReceiverReport, body);
  store32(p + 4, ssrc);
  for (size_t i = 0; i < blocks.size(); ++i) {
    writeReportBlock(p + 8 + i * ReportBlock::kSize, blocks[i]);
  }
  return total;
}

size_t writeSdesCname(std::span<uint8_t> out, uint32_t ssrc, std::string_view cname) {
  if (cname.size() > 255) return 0;
  // SSRC, type, length, text, then at least one null padded to 32 bits.
  const size_t chunk = (4 + 2 + cname.size() + 1 + 3) & ~size_t{3};
  const size_t total = RtcpPacket::kHeaderSize + chunk;
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeHeader(p, 1, RtcpType::kSdes, chunk);
  store32(p + 4, ssrc);
  p[8] = SdesType::kCname;
  p[9] = static_cast<uint8_t>(cname.size());
  std::copy(cname.begin(), cname.end(), p + 10);
  std::fill(p + 10 + cname.size(), p + total, uint8_t{0});
  return total;
}

size_t writeBye(std::span<uint8_t> out, uint32_t ssrc) {
  constexpr size_t total = RtcpPacket::kHeaderSize + 4;
  if (out.size() < total) return 0;
  writeHeader(out.data(), 1, RtcpType::kBye, 4);
  store32(out.data() + 4, ssrc);
  return total;
}

}  // namespace callgate::media::rtp
