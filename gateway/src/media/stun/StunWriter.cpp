// StunWriter, declared in StunMessage.h beside the parser it mirrors.
#include <algorithm>
#include <cstring>

#include "media/rtp/ByteOrder.h"
#include "media/stun/Crc32.h"
#include "media/stun/HmacSha1.h"
#include "media/stun/StunMessage.h"

namespace callgate::media::stun {

using rtp::store16;
using rtp::store32;

namespace {

constexpr size_t kAttributeHeaderSize = 4;
constexpr size_t kMaxMessageBody = 0xffff & ~size_t{3};  // the 16-bit length, a multiple of 4
constexpr uint8_t kFamilyIpv4 = 0x01;
constexpr uint8_t kFamilyIpv6 = 0x02;
constexpr size_t kMaxReasonBytes = 763;  // RFC 8489 §14.8

size_t padded(size_t length) {
  return (length + 3) & ~size_t{3};
}

std::span<const uint8_t> bytesOf(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

bool StunWriter::begin(uint16_t method, StunClass messageClass,
                       std::span<const uint8_t, kTransactionIdSize> transactionId) {
  if (out_.size() < kHeaderSize || method > 0x0fff) return false;
  const auto c = static_cast<unsigned>(messageClass);
  // RFC 8489 §5: interleave the class bits C1 (bit 8) and C0 (bit 4).
  const unsigned type = (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) |
                        ((c & 0x1) << 4) | ((c & 0x2) << 7);
  store16(&out_[0], static_cast<uint16_t>(type));
  store16(&out_[2], 0);
  store32(&out_[4], kMagicCookie);
  std::copy(transactionId.begin(), transactionId.end(), out_.begin() + 8);
  size_ = kHeaderSize;
  integrityAdded_ = false;
  fingerprintAdded_ = false;
  return true;
}

void StunWriter::setLengthField(size_t messageSize) {
  store16(&out_[2], static_cast<uint16_t>(messageSize - kHeaderSize));
}

size_t StunWriter::reserve(uint16_t type, size_t length) {
  if (size_ == 0 || fingerprintAdded_) return 0;
  if (integrityAdded_ && type != StunAttr::kFingerprint) return 0;
  const size_t total = kAttributeHeaderSize + padded(length);
  if (length > 0xffff || total > out_.size() - size_ ||
      size_ - kHeaderSize + total > kMaxMessageBody) {
    return 0;
  }
  store16(&out_[size_], type);
  store16(&out_[size_ + 2], static_cast<uint16_t>(length));
  const size_t value = size_ + kAttributeHeaderSize;
  std::fill(out_.begin() + static_cast<std::ptrdiff_t>(value + length),
            out_.begin() + static_cast<std::ptrdiff_t>(size_ + total), paddingByte_);
  size_ += total;
  setLengthField(size_);
  return value;
}

bool StunWriter::addAttribute(uint16_t type, std::span<const uint8_t> value) {
  const size_t at = reserve(type, value.size());
  if (at == 0) return false;
  if (!value.empty()) std::memcpy(&out_[at], value.data(), value.size());
  return true;
}

bool StunWriter::addUsername(std::string_view username) {
  return addAttribute(StunAttr::kUsername, bytesOf(username));
}

bool StunWriter::addSoftware(std::string_view software) {
  return addAttribute(StunAttr::kSoftware, bytesOf(software));
}

bool StunWriter::addPriority(uint32_t priority) {
  uint8_t value[4];
  store32(value, priority);
  return addAttribute(StunAttr::kPriority, value);
}

bool StunWriter::addUseCandidate() {
  return addAttribute(StunAttr::kUseCandidate, {});
}

bool StunWriter::addIceControlling(uint64_t tieBreaker) {
  uint8_t value[8];
  store32(value, static_cast<uint32_t>(tieBreaker >> 32));
  store32(value + 4, static_cast<uint32_t>(tieBreaker));
  return addAttribute(StunAttr::kIceControlling, value);
}

bool StunWriter::addIceControlled(uint64_t tieBreaker) {
  uint8_t value[8];
  store32(value, static_cast<uint32_t>(tieBreaker >> 32));
  store32(value + 4, static_cast<uint32_t>(tieBreaker));
  return addAttribute(StunAttr::kIceControlled, value);
}

bool StunWriter::addXorMappedAddress(const net::SocketAddress& address) {
  if (size_ == 0) return false;
  // RFC 8489 §14.2; the mask is the cookie and transaction ID in the header.
  const uint8_t* mask = &out_[4];
  uint8_t value[20] = {};
  const auto port = static_cast<uint16_t>(address.port() ^ (kMagicCookie >> 16));
  store16(&value[2], port);
  size_t length = 0;
  if (address.family() == AF_INET) {
    const auto* sa = reinterpret_cast<const sockaddr_in*>(address.sockaddrPtr());
    uint8_t ip[4];
    std::memcpy(ip, &sa->sin_addr, sizeof ip);
    value[1] = kFamilyIpv4;
    for (size_t i = 0; i < 4; ++i) value[4 + i] = ip[i] ^ mask[i];
    length = 8;
  } else if (address.family() == AF_INET6) {
    const auto* sa = reinterpret_cast<const sockaddr_in6*>(address.sockaddrPtr());
    uint8_t ip[16];
    std::memcpy(ip, &sa->sin6_addr, sizeof ip);
    value[1] = kFamilyIpv6;
    for (size_t i = 0; i < 16; ++i) value[4 + i] = ip[i] ^ mask[i];
    length = 20;
  } else {
    return false;
  }
  return addAttribute(StunAttr::kXorMappedAddress, std::span<const uint8_t>(value, length));
}

bool StunWriter::addErrorCode(uint16_t code, std::string_view reason) {
  if (code < 300 || code > 699 || reason.size() > kMaxReasonBytes) return false;
  const size_t at = reserve(StunAttr::kErrorCode, 4 + reason.size());
  if (at == 0) return false;
  out_[at] = 0;
  out_[at + 1] = 0;
  out_[at + 2] = static_cast<uint8_t>(code / 100);
  out_[at + 3] = static_cast<uint8_t>(code % 100);
  if (!reason.empty()) std::memcpy(&out_[at + 4], reason.data(), reason.size());
  return true;
}

bool StunWriter::addMessageIntegrity(std::string_view key) {
  if (integrityAdded_) return false;
  const size_t start = size_;
  // reserve() sets the length field to include this attribute, which is the
  // value the HMAC must see (RFC 8489 §14.5).
  const size_t at = reserve(StunAttr::kMessageIntegrity, kMessageIntegritySize);
  if (at == 0) return false;
  Sha1Digest digest;
  if (!hmacSha1(key, std::span<const uint8_t>(out_).first(start), {}, digest)) {
    size_ = start;
    setLengthField(size_);
    return false;
  }
  std::copy(digest.begin(), digest.end(), out_.begin() + static_cast<std::ptrdiff_t>(at));
  integrityAdded_ = true;
  return true;
}

bool StunWriter::addFingerprint() {
  const size_t start = size_;
  const size_t at = reserve(StunAttr::kFingerprint, 4);
  if (at == 0) return false;
  store32(&out_[at], crc32(std::span<const uint8_t>(out_).first(start)) ^ kFingerprintXor);
  fingerprintAdded_ = true;
  return true;
}

}  // namespace callgate::media::stun
