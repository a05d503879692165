#include "media/stun/StunMessage.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

#include "media/rtp/ByteOrder.h"
#include "media/stun/Crc32.h"
#include "media/stun/HmacSha1.h"

namespace callgate::media::stun {

using rtp::load16;
using rtp::load32;

namespace {

constexpr size_t kAttributeHeaderSize = 4;
constexpr size_t kFingerprintSize = 4;
constexpr uint8_t kFamilyIpv4 = 0x01;
constexpr uint8_t kFamilyIpv6 = 0x02;

size_t padded(size_t length) {
  return (length + 3) & ~size_t{3};
}

std::string_view textOf(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::optional<uint64_t> tieBreaker(std::optional<std::span<const uint8_t>> value) {
  if (!value || value->size() != 8) return std::nullopt;
  return (static_cast<uint64_t>(load32(value->data())) << 32) | load32(value->data() + 4);
}

}  // namespace

bool looksLikeStun(std::span<const uint8_t> packet) {
  if (packet.size() < kHeaderSize) return false;
  if ((packet[0] & 0xc0) != 0) return false;
  const size_t length = load16(&packet[2]);
  if (length % 4 != 0 || length + kHeaderSize != packet.size()) return false;
  return load32(&packet[4]) == kMagicCookie;
}

std::optional<StunMessage> StunMessage::parse(std::span<const uint8_t> packet) {
  if (!looksLikeStun(packet)) return std::nullopt;
  size_t integrity = 0;
  size_t fingerprint = 0;
  size_t pos = kHeaderSize;
  while (pos < packet.size()) {
    if (fingerprint != 0) return std::nullopt;  // FINGERPRINT must be last (§14.7)
    if (packet.size() - pos < kAttributeHeaderSize) return std::nullopt;
    const uint16_t type = load16(&packet[pos]);
    const size_t length = load16(&packet[pos + 2]);
    if (padded(length) > packet.size() - pos - kAttributeHeaderSize) return std::nullopt;
    if (type == StunAttr::kMessageIntegrity && integrity == 0) {
      if (length != kMessageIntegritySize) return std::nullopt;
      integrity = pos;
    } else if (type == StunAttr::kFingerprint) {
      if (length != kFingerprintSize) return std::nullopt;
      fingerprint = pos;
    }
    pos += kAttributeHeaderSize + padded(length);
  }
  return StunMessage(packet, integrity, fingerprint);
}

uint16_t StunMessage::method() const {
  // RFC 8489 §5: the class bits C1 (bit 8) and C0 (bit 4) sit between the
  // method bits M11..M7, M6..M4 and M3..M0.
  const uint16_t type = load16(&data_[0]);
  return static_cast<uint16_t>((type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2));
}

StunClass StunMessage::messageClass() const {
  const uint16_t type = load16(&data_[0]);
  return static_cast<StunClass>(((type >> 7) & 0x2) | ((type >> 4) & 0x1));
}

size_t StunMessage::Iterator::currentSize() const {
  // parse() has checked the lengths; stay in bounds regardless.
  if (rest_.size() < kAttributeHeaderSize) return rest_.size();
  return std::min(kAttributeHeaderSize + padded(load16(&rest_[2])), rest_.size());
}

StunAttribute StunMessage::Iterator::operator*() const {
  if (rest_.size() < kAttributeHeaderSize) return StunAttribute{0, {}};
  const size_t length = std::min<size_t>(load16(&rest_[2]), rest_.size() - kAttributeHeaderSize);
  return StunAttribute{load16(&rest_[0]), rest_.subspan(kAttributeHeaderSize, length)};
}

StunMessage::Iterator& StunMessage::Iterator::operator++() {
  rest_ = rest_.subspan(currentSize());
  return *this;
}

std::optional<std::span<const uint8_t>> StunMessage::find(uint16_t type) const {
  const size_t limit = integrityOffset_ != 0     ? integrityOffset_
                       : fingerprintOffset_ != 0 ? fingerprintOffset_
                                                 : data_.size();
  for (Iterator it(data_.subspan(kHeaderSize, limit - kHeaderSize)), last(data_.subspan(limit, 0));
       it != last; ++it) {
    const StunAttribute attribute = *it;
    if (attribute.type == type) return attribute.value;
  }
  return std::nullopt;
}

std::optional<std::string_view> StunMessage::username() const {
  const auto value = find(StunAttr::kUsername);
  if (!value) return std::nullopt;
  return textOf(*value);
}

std::optional<uint32_t> StunMessage::priority() const {
  const auto value = find(StunAttr::kPriority);
  if (!value || value->size() != 4) return std::nullopt;
  return load32(value->data());
}

bool StunMessage::useCandidate() const {
  return find(StunAttr::kUseCandidate).has_value();
}

std::optional<uint64_t> StunMessage::iceControlling() const {
  return tieBreaker(find(StunAttr::kIceControlling));
}

std::optional<uint64_t> StunMessage::iceControlled() const {
  return tieBreaker(find(StunAttr::kIceControlled));
}

std::optional<net::SocketAddress> StunMessage::xorMappedAddress() const {
  // RFC 8489 §14.2: reserved byte, family, port XOR the cookie's high 16 bits,
  // address XOR the cookie (IPv4) or the cookie and transaction ID (IPv6).
  const auto value = find(StunAttr::kXorMappedAddress);
  if (!value || value->size() < 4) return std::nullopt;
  const std::span<const uint8_t> v = *value;
  const auto port = static_cast<uint16_t>(load16(&v[2]) ^ (kMagicCookie >> 16));
  // The cookie and transaction ID are header bytes 4..19, in wire order.
  const uint8_t* mask = &data_[4];
  if (v[1] == kFamilyIpv4 && v.size() == 8) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    uint8_t address[4];
    for (size_t i = 0; i < 4; ++i) address[i] = v[4 + i] ^ mask[i];
    std::memcpy(&sa.sin_addr, address, sizeof address);
    return net::SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
  }
  if (v[1] == kFamilyIpv6 && v.size() == 20) {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    uint8_t address[16];
    for (size_t i = 0; i < 16; ++i) address[i] = v[4 + i] ^ mask[i];
    std::memcpy(&sa.sin6_addr, address, sizeof address);
    return net::SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
  }
  return std::nullopt;
}

std::optional<StunErrorCode> StunMessage::errorCode() const {
  // RFC 8489 §14.8: 21 reserved bits, class (3 bits, 3..6), number (0..99).
  const auto value = find(StunAttr::kErrorCode);
  if (!value || value->size() < 4) return std::nullopt;
  const unsigned errorClass = (*value)[2] & 0x07;
  const unsigned number = (*value)[3];
  if (errorClass < 3 || errorClass > 6 || number > 99) return std::nullopt;
  return StunErrorCode{static_cast<uint16_t>(errorClass * 100 + number), textOf(value->subspan(4))};
}

bool StunMessage::verifyFingerprint() const {
  if (fingerprintOffset_ == 0) return false;
  const uint32_t expected = crc32(data_.first(fingerprintOffset_)) ^ kFingerprintXor;
  return load32(&data_[fingerprintOffset_ + kAttributeHeaderSize]) == expected;
}

bool StunMessage::verifyMessageIntegrity(std::string_view key) const {
  if (integrityOffset_ == 0) return false;
  // The HMAC covers the header with its length field set as if
  // MESSAGE-INTEGRITY were the last attribute, then everything before it.
  std::array<uint8_t, kHeaderSize> header;
  std::copy_n(data_.begin(), kHeaderSize, header.begin());
  rtp::store16(&header[2], static_cast<uint16_t>(integrityOffset_ + kAttributeHeaderSize +
                                                 kMessageIntegritySize - kHeaderSize));
  Sha1Digest digest;
  if (!hmacSha1(key, header, data_.subspan(kHeaderSize, integrityOffset_ - kHeaderSize), digest)) {
    return false;
  }
  const uint8_t* received = &data_[integrityOffset_ + kAttributeHeaderSize];
  return CRYPTO_memcmp(digest.data(), received, digest.size()) == 0;
}

}  // namespace callgate::media::stun
