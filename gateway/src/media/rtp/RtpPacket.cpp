#include "media/rtp/RtpPacket.h"

#include "media/rtp/ByteOrder.h"

namespace callgate::media::rtp {

namespace {

constexpr uint8_t kVersion = 2;
constexpr size_t kExtensionHeaderSize = 4;
// Offset of the extension header: after the fixed header and the CSRC list.
size_t extensionOffset(uint8_t csrcCount) {
  return RtpPacket::kFixedHeaderSize + 4U * csrcCount;
}

// RFC 8285 §4.2: ID (4 bits) and length-1 (4 bits) in one byte. ID 0 is a
// padding byte; ID 15 ends processing of the whole extension.
std::optional<std::span<uint8_t>> findOneByteElement(std::span<uint8_t> data, uint8_t id) {
  if (id == 0 || id >= 15) return std::nullopt;
  size_t i = 0;
  while (i < data.size()) {
    const uint8_t elementId = data[i] >> 4;
    if (elementId == 0) {
      ++i;
      continue;
    }
    if (elementId == 15) return std::nullopt;
    const size_t length = static_cast<size_t>(data[i] & 0x0f) + 1;
    if (length > data.size() - i - 1) return std::nullopt;
    if (elementId == id) return data.subspan(i + 1, length);
    i += 1 + length;
  }
  return std::nullopt;
}

// RFC 8285 §4.3: a byte of ID and a byte of length; a zero ID byte is padding.
std::optional<std::span<uint8_t>> findTwoByteElement(std::span<uint8_t> data, uint8_t id) {
  if (id == 0) return std::nullopt;
  size_t i = 0;
  while (i < data.size()) {
    const uint8_t elementId = data[i];
    if (elementId == 0) {
      ++i;
      continue;
    }
    if (data.size() - i < 2) return std::nullopt;
    const size_t length = data[i + 1];
    if (length > data.size() - i - 2) return std::nullopt;
    if (elementId == id) return data.subspan(i + 2, length);
    i += 2 + length;
  }
  return std::nullopt;
}

}  // namespace

std::optional<RtpPacket> RtpPacket::parse(std::span<uint8_t> packet) {
  if (packet.size() < kFixedHeaderSize) return std::nullopt;
  if ((packet[0] >> 6) != kVersion) return std::nullopt;
  size_t header = extensionOffset(packet[0] & 0x0f);
  if (header > packet.size()) return std::nullopt;
  if ((packet[0] & 0x10) != 0) {
    // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words.
    if (packet.size() - header < kExtensionHeaderSize) return std::nullopt;
    const size_t extensionBytes = 4U * load16(&packet[header + 2]);
    header += kExtensionHeaderSize;
    if (extensionBytes > packet.size() - header) return std::nullopt;
    header += extensionBytes;
  }
  size_t padding = 0;
  if ((packet[0] & 0x20) != 0) {
    // RFC 3550 §5.1: the last octet counts the padding, itself included, so it
    // is at least 1 and cannot reach back into the header.
    if (packet.size() == header) return std::nullopt;
    padding = packet.back();
    if (padding == 0 || padding > packet.size() - header) return std::nullopt;
  }
  return RtpPacket(packet, header, packet.size() - header - padding, padding);
}

size_t RtpPacket::writeHeader(std::span<uint8_t> out, uint8_t payloadType, bool marker,
                              uint16_t sequence, uint32_t timestamp, uint32_t ssrc) {
  if (out.size() < kFixedHeaderSize) return 0;
  out[0] = kVersion << 6;
  out[1] = static_cast<uint8_t>((marker ? 0x80 : 0) | (payloadType & 0x7f));
  store16(&out[2], sequence);
  store32(&out[4], timestamp);
  store32(&out[8], ssrc);
  return kFixedHeaderSize;
}

uint16_t RtpPacket::sequence() const {
  return load16(&data_[2]);
}
uint32_t RtpPacket::timestamp() const {
  return load32(&data_[4]);
}
uint32_t RtpPacket::ssrc() const {
  return load32(&data_[8]);
}

uint32_t RtpPacket::csrc(size_t i) const {
  if (i >= csrcCount()) return 0;
  return load32(&data_[kFixedHeaderSize + 4 * i]);
}

uint16_t RtpPacket::extensionProfile() const {
  if (!hasExtension()) return 0;
  return load16(&data_[extensionOffset(csrcCount())]);
}

std::span<uint8_t> RtpPacket::extensionData() const {
  if (!hasExtension()) return {};
  const size_t start = extensionOffset(csrcCount()) + kExtensionHeaderSize;
  return data_.subspan(start, headerSize_ - start);
}

std::optional<std::span<uint8_t>> RtpPacket::findExtension(uint8_t id) const {
  if (!hasExtension()) return std::nullopt;
  const uint16_t profile = extensionProfile();
  if (profile == kOneByteExtensionProfile) return findOneByteElement(extensionData(), id);
  if ((profile & 0xfff0) == kTwoByteExtensionProfile) {
    return findTwoByteElement(extensionData(), id);
  }
  return std::nullopt;
}

void RtpPacket::setMarker(bool marker) {
  data_[1] = static_cast<uint8_t>((data_[1] & 0x7f) | (marker ? 0x80 : 0));
}

void RtpPacket::setPayloadType(uint8_t payloadType) {
  data_[1] = static_cast<uint8_t>((data_[1] & 0x80) | (payloadType & 0x7f));
}

void RtpPacket::setSequence(uint16_t sequence) {
  store16(&data_[2], sequence);
}
void RtpPacket::setTimestamp(uint32_t timestamp) {
  store32(&data_[4], timestamp);
}
void RtpPacket::setSsrc(uint32_t ssrc) {
  store32(&data_[8], ssrc);
}

}  // namespace callgate::media::rtp
