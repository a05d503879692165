#pragma once
// STUN messages (RFC 8489) with the ICE attributes (RFC 8445 §16): a parsed
// view over a received datagram and a writer into a caller buffer. Both check
// every length, never throw and do not allocate; the buffer must outlive them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "net/SocketAddress.h"

namespace callgate::media::stun {

inline constexpr uint32_t kMagicCookie = 0x2112A442;
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kTransactionIdSize = 12;
using TransactionId = std::array<uint8_t, kTransactionIdSize>;

struct StunMethod {
  static constexpr uint16_t kBinding = 0x001;
};

enum class StunClass : uint8_t { Request = 0, Indication = 1, Success = 2, Error = 3 };

// Attribute types (RFC 8489 §18.3, RFC 8445 §16.1).
struct StunAttr {
  static constexpr uint16_t kMappedAddress = 0x0001;
  static constexpr uint16_t kUsername = 0x0006;
  static constexpr uint16_t kMessageIntegrity = 0x0008;
  static constexpr uint16_t kErrorCode = 0x0009;
  static constexpr uint16_t kUnknownAttributes = 0x000A;
  static constexpr uint16_t kRealm = 0x0014;
  static constexpr uint16_t kNonce = 0x0015;
  static constexpr uint16_t kMessageIntegritySha256 = 0x001C;
  static constexpr uint16_t kPasswordAlgorithm = 0x001D;
  static constexpr uint16_t kUserhash = 0x001E;
  static constexpr uint16_t kXorMappedAddress = 0x0020;
  static constexpr uint16_t kPriority = 0x0024;
  static constexpr uint16_t kUseCandidate = 0x0025;
  static constexpr uint16_t kSoftware = 0x8022;
  static constexpr uint16_t kAlternateServer = 0x8023;
  static constexpr uint16_t kFingerprint = 0x8028;
  static constexpr uint16_t kIceControlled = 0x8029;
  static constexpr uint16_t kIceControlling = 0x802A;
};

inline constexpr size_t kMessageIntegritySize = 20;      // HMAC-SHA1
inline constexpr uint32_t kFingerprintXor = 0x5354554e;  // "STUN", RFC 8489 §14.7

struct StunAttribute {
  uint16_t type;
  std::span<const uint8_t> value;  // without padding
};

struct StunErrorCode {
  uint16_t code;  // 300..699
  std::string_view reason;
};

// Cheap check for a STUN message (RFC 8489 §6, §7): top two bits zero, the
// length a multiple of 4 that matches the datagram, and the magic cookie.
bool looksLikeStun(std::span<const uint8_t> packet);

class StunMessage {
 public:
  // nullopt unless looksLikeStun() holds and every attribute (padded to 4
  // bytes) fits; MESSAGE-INTEGRITY must be 20 bytes and FINGERPRINT 4 bytes
  // and last.
  static std::optional<StunMessage> parse(std::span<const uint8_t> packet);

  uint16_t method() const;
  StunClass messageClass() const;
  std::span<const uint8_t, kTransactionIdSize> transactionId() const {
    return data_.subspan<8, kTransactionIdSize>();
  }
  std::span<const uint8_t> bytes() const { return data_; }

  // Every attribute in order, including those after MESSAGE-INTEGRITY.
  class Iterator {
   public:
    StunAttribute operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return rest_.data() == other.rest_.data(); }

   private:
    friend class StunMessage;
    explicit Iterator(std::span<const uint8_t> rest) : rest_(rest) {}
    size_t currentSize() const;
    std::span<const uint8_t> rest_;
  };
  Iterator begin() const { return Iterator(data_.subspan(kHeaderSize)); }
  Iterator end() const { return Iterator(data_.subspan(data_.size())); }

  // Value of the first attribute of `type` before MESSAGE-INTEGRITY: later
  // ones are not covered by it and are ignored (RFC 8489 §14.5).
  std::optional<std::span<const uint8_t>> find(uint16_t type) const;

  std::optional<std::string_view> username() const;
  std::optional<uint32_t> priority() const;
  bool useCandidate() const;
  std::optional<uint64_t> iceControlling() const;  // the tie-breaker
  std::optional<uint64_t> iceControlled() const;
  std::optional<net::SocketAddress> xorMappedAddress() const;
  std::optional<StunErrorCode> errorCode() const;

  bool hasMessageIntegrity() const { return integrityOffset_ != 0; }
  bool hasFingerprint() const { return fingerprintOffset_ != 0; }
  // CRC-32 of the message before FINGERPRINT, XOR 0x5354554e (RFC 8489 §14.7).
  bool verifyFingerprint() const;
  // HMAC-SHA1 with `key` (for ICE, the peer's password as is) over the message
  // before MESSAGE-INTEGRITY, with the header length counting up to the end
  // of MESSAGE-INTEGRITY (RFC 8489 §14.5); compared in constant time.
  bool verifyMessageIntegrity(std::string_view key) const;

 private:
  StunMessage(std::span<const uint8_t> data, size_t integrityOffset, size_t fingerprintOffset)
      : data_(data), integrityOffset_(integrityOffset), fingerprintOffset_(fingerprintOffset) {}

  // passed in
  std::span<const uint8_t> data_;
  size_t integrityOffset_;    // offset of the MESSAGE-INTEGRITY attribute; 0 when absent
  size_t fingerprintOffset_;  // offset of the FINGERPRINT attribute; 0 when absent
};

// Builds a message into a caller buffer. Every add returns false, leaving the
// buffer as it was, when the attribute does not fit, when begin() has not been
// called, or when it would follow MESSAGE-INTEGRITY (only FINGERPRINT may) or
// FINGERPRINT (nothing may).
class StunWriter {
 public:
  explicit StunWriter(std::span<uint8_t> out) : out_(out) {}

  bool begin(uint16_t method, StunClass messageClass,
             std::span<const uint8_t, kTransactionIdSize> transactionId);
  bool addAttribute(uint16_t type, std::span<const uint8_t> value);
  bool addUsername(std::string_view username);
  bool addSoftware(std::string_view software);
  bool addPriority(uint32_t priority);
  bool addUseCandidate();
  bool addIceControlling(uint64_t tieBreaker);
  bool addIceControlled(uint64_t tieBreaker);
  bool addXorMappedAddress(const net::SocketAddress& address);
  bool addErrorCode(uint16_t code, std::string_view reason);  // code 300..699
  bool addMessageIntegrity(std::string_view key);
  bool addFingerprint();

  // RFC 8489 §14 pads with zeros; RFC 5389 let senders pad with anything, and
  // the RFC 5769 test vectors pad with spaces.
  void setPaddingByte(uint8_t byte) { paddingByte_ = byte; }

  size_t size() const { return size_; }
  std::span<const uint8_t> bytes() const { return std::span<const uint8_t>(out_).first(size_); }

 private:
  // Reserves an attribute header and `length` value bytes plus padding; returns
  // the value's offset, or 0 when it cannot be added.
  size_t reserve(uint16_t type, size_t length);
  void setLengthField(size_t messageSize);

  // passed in
  std::span<uint8_t> out_;
  size_t size_ = 0;
  bool integrityAdded_ = false;
  bool fingerprintAdded_ = false;
  uint8_t paddingByte_ = 0;
};

}  // namespace callgate::media::stun
