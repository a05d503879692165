#pragma once
// Views of RTCP packets (RFC 3550 §6) in a caller-owned buffer, and writers for
// the reports we originate. RtcpCompound::parse() checks the common headers of
// a whole compound packet once; each typed view's from() then checks its own
// layout before any field is read. Setters rewrite SSRCs and loss fields in
// place for passthrough. No allocation, no exceptions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace callgate::media::rtp {

// Packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2).
struct RtcpType {
  static constexpr uint8_t kSenderReport = 200;
  static constexpr uint8_t kReceiverReport = 201;
  static constexpr uint8_t kSdes = 202;
  static constexpr uint8_t kBye = 203;
  static constexpr uint8_t kApp = 204;
  static constexpr uint8_t kRtpFeedback = 205;
  static constexpr uint8_t kPayloadFeedback = 206;
  static constexpr uint8_t kExtendedReport = 207;
};

// FMT values of RTPFB (RFC 4585 §6.2, draft-holmer-rmcat-transport-wide-cc)
// and PSFB (RFC 4585 §6.3, RFC 5104 §4.3, RFC 4585 §6.4 application layer).
struct RtcpFeedbackFmt {
  static constexpr uint8_t kNack = 1;
  static constexpr uint8_t kTransportCc = 15;
  static constexpr uint8_t kPli = 1;
  static constexpr uint8_t kSli = 2;
  static constexpr uint8_t kRpsi = 3;
  static constexpr uint8_t kFir = 4;
  static constexpr uint8_t kApplicationLayer = 15;  // carries REMB
};

// SDES item types (RFC 3550 §6.5).
struct SdesType {
  static constexpr uint8_t kEnd = 0;
  static constexpr uint8_t kCname = 1;
  static constexpr uint8_t kName = 2;
  static constexpr uint8_t kEmail = 3;
  static constexpr uint8_t kPhone = 4;
  static constexpr uint8_t kLoc = 5;
  static constexpr uint8_t kTool = 6;
  static constexpr uint8_t kNote = 7;
  static constexpr uint8_t kPriv = 8;
};

// One report block's values, for the writers and for copying out of a view.
struct ReportBlockData {
  uint32_t ssrc = 0;
  uint8_t fractionLost = 0;
  int32_t cumulativeLost = 0;  // signed 24-bit on the wire; writers clamp
  uint32_t extendedHighestSequence = 0;
  uint32_t jitter = 0;
  uint32_t lastSr = 0;
  uint32_t delaySinceLastSr = 0;

  bool operator==(const ReportBlockData&) const = default;
};

// One packet of a compound: the 4-byte common header plus its body.
class RtcpPacket {
 public:
  static constexpr size_t kHeaderSize = 4;

  uint8_t count() const { return bytes_[0] & 0x1f; }  // RC, SC or FMT
  uint8_t packetType() const { return bytes_[1]; }
  bool hasPadding() const { return (bytes_[0] & 0x20) != 0; }
  size_t paddingSize() const { return paddingSize_; }
  std::span<uint8_t> bytes() const { return bytes_; }  // header through padding
  std::span<uint8_t> body() const {
    return bytes_.subspan(kHeaderSize, bytes_.size() - kHeaderSize - paddingSize_);
  }

 private:
  friend class RtcpCompound;
  RtcpPacket(std::span<uint8_t> bytes, size_t paddingSize)
      : bytes_(bytes), paddingSize_(paddingSize) {}

  // passed in
  std::span<uint8_t> bytes_;
  size_t paddingSize_;
};

// A compound RTCP packet (RFC 3550 §6.1). The first packet is not required to
// be SR/RR so reduced-size RTCP (RFC 5506) is accepted; every packet must be
// version 2 with a type in 192..223, lengths must add up to the datagram, and
// only the last packet may carry padding.
class RtcpCompound {
 public:
  static std::optional<RtcpCompound> parse(std::span<uint8_t> packet);

  class Iterator {
   public:
    RtcpPacket operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return rest_.data() == other.rest_.data(); }

   private:
    friend class RtcpCompound;
    explicit Iterator(std::span<uint8_t> rest) : rest_(rest) {}
    size_t currentSize() const;
    std::span<uint8_t> rest_;
  };

  Iterator begin() const { return Iterator(bytes_); }
  Iterator end() const { return Iterator(bytes_.subspan(bytes_.size())); }
  size_t packetCount() const { return packetCount_; }
  std::span<uint8_t> bytes() const { return bytes_; }

 private:
  RtcpCompound(std::span<uint8_t> bytes, size_t packetCount)
      : bytes_(bytes), packetCount_(packetCount) {}

  // passed in
  std::span<uint8_t> bytes_;
  size_t packetCount_;
};

// A 24-byte reception report block (RFC 3550 §6.4.1).
class ReportBlock {
 public:
  static constexpr size_t kSize = 24;

  uint32_t ssrc() const;
  uint8_t fractionLost() const { return bytes_[4]; }
  int32_t cumulativeLost() const;
  uint32_t extendedHighestSequence() const;
  uint32_t jitter() const;
  uint32_t lastSr() const;
  uint32_t delaySinceLastSr() const;
  ReportBlockData data() const;

  void setSsrc(uint32_t ssrc);
  void setFractionLost(uint8_t fraction);
  void setCumulativeLost(int32_t lost);  // clamped to the signed 24-bit range
  void setExtendedHighestSequence(uint32_t sequence);
  void setLastSr(uint32_t lastSr);
  void setDelaySinceLastSr(uint32_t delay);

 private:
  friend class SenderReport;
  friend class ReceiverReport;
  explicit ReportBlock(std::span<uint8_t> bytes) : bytes_(bytes) {}

  // passed in
  std::span<uint8_t> bytes_;
};

// SR (RFC 3550 §6.4.1).
class SenderReport {
 public:
  static std::optional<SenderReport> from(const RtcpPacket& packet);

  uint32_t ssrc() const;
  uint32_t ntpSeconds() const;
  uint32_t ntpFraction() const;
  // The middle 32 bits of the NTP timestamp: the LSR a receiver echoes.
  uint32_t ntpMiddle32() const;
  uint32_t rtpTimestamp() const;
  uint32_t packetCount() const;
  uint32_t octetCount() const;
  size_t reportCount() const { return count_; }
  std::optional<ReportBlock> reportBlock(size_t i) const;
  void setSsrc(uint32_t ssrc);

 private:
  SenderReport(std::span<uint8_t> body, uint8_t count) : body_(body), count_(count) {}
  // passed in
  std::span<uint8_t> body_;
  uint8_t count_;
};

// RR (RFC 3550 §6.4.2).
class ReceiverReport {
 public:
  static std::optional<ReceiverReport> from(const RtcpPacket& packet);

  uint32_t ssrc() const;
  size_t reportCount() const { return count_; }
  std::optional<ReportBlock> reportBlock(size_t i) const;
  void setSsrc(uint32_t ssrc);

 private:
  ReceiverReport(std::span<uint8_t> body, uint8_t count) : body_(body), count_(count) {}
  // passed in
  std::span<uint8_t> body_;
  uint8_t count_;
};

struct SdesItem {
  uint8_t type;
  std::string_view text;
};

// One SDES chunk: an SSRC/CSRC and its items up to the null terminator.
class SdesChunk {
 public:
  class Iterator {
   public:
    SdesItem operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return rest_.data() == other.rest_.data(); }

   private:
    friend class SdesChunk;
    explicit Iterator(std::span<const uint8_t> rest) : rest_(rest) {}
    std::span<const uint8_t> rest_;
  };

  uint32_t ssrc() const { return ssrc_; }
  Iterator begin() const { return Iterator(items_); }
  Iterator end() const { return Iterator(items_.subspan(items_.size())); }
  // Text of the first item of `type` (e.g. SdesType::kCname).
  std::optional<std::string_view> find(uint8_t type) const;

 private:
  friend class Sdes;
  SdesChunk(uint32_t ssrc, std::span<const uint8_t> items) : ssrc_(ssrc), items_(items) {}
  uint32_t ssrc_;
  // passed in
  std::span<const uint8_t> items_;
};

// SDES (RFC 3550 §6.5); from() checks every chunk and item length.
class Sdes {
 public:
  static std::optional<Sdes> from(const RtcpPacket& packet);

  class Iterator {
   public:
    SdesChunk operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return rest_.data() == other.rest_.data(); }

   private:
    friend class Sdes;
    Iterator(std::span<const uint8_t> rest, size_t chunksLeft);
    std::span<const uint8_t> rest_;
    size_t chunksLeft_;
  };

  size_t chunkCount() const { return count_; }
  Iterator begin() const { return Iterator(body_, count_); }
  Iterator end() const { return Iterator(body_.subspan(body_.size()), 0); }

 private:
  Sdes(std::span<const uint8_t> body, uint8_t count) : body_(body), count_(count) {}
  // passed in
  std::span<const uint8_t> body_;
  uint8_t count_;
};

// BYE (RFC 3550 §6.6).
class Bye {
 public:
  static std::optional<Bye> from(const RtcpPacket& packet);

  size_t ssrcCount() const { return count_; }
  uint32_t ssrc(size_t i) const;                       // 0 when i >= ssrcCount()
  std::string_view reason() const { return reason_; }  // empty when absent

 private:
  Bye(std::span<const uint8_t> body, uint8_t count, std::string_view reason)
      : body_(body), count_(count), reason_(reason) {}
  // passed in
  std::span<const uint8_t> body_;
  uint8_t count_;
  std::string_view reason_;
};

// RTPFB or PSFB feedback (RFC 4585 §6.1).
class Feedback {
 public:
  static std::optional<Feedback> from(const RtcpPacket& packet);

  bool isPayloadSpecific() const { return packetType_ == RtcpType::kPayloadFeedback; }
  uint8_t packetType() const { return packetType_; }
  uint8_t fmt() const { return fmt_; }
  uint32_t senderSsrc() const;
  uint32_t mediaSsrc() const;
  std::span<uint8_t> fci() const { return body_.subspan(8); }
  void setSenderSsrc(uint32_t ssrc);
  void setMediaSsrc(uint32_t ssrc);

 private:
  Feedback(std::span<uint8_t> body, uint8_t packetType, uint8_t fmt)
      : body_(body), packetType_(packetType), fmt_(fmt) {}
  // passed in
  std::span<uint8_t> body_;
  uint8_t packetType_;
  uint8_t fmt_;
};

// APP (RFC 3550 §6.7).
class App {
 public:
  static std::optional<App> from(const RtcpPacket& packet);

  uint8_t subtype() const { return subtype_; }
  uint32_t ssrc() const;
  std::string_view name() const;  // four ASCII characters
  std::span<uint8_t> data() const { return body_.subspan(8); }

 private:
  App(std::span<uint8_t> body, uint8_t subtype) : body_(body), subtype_(subtype) {}
  // passed in
  std::span<uint8_t> body_;
  uint8_t subtype_;
};

// XR (RFC 3611 §2): only the header; the report blocks are left as bytes.
class ExtendedReport {
 public:
  static std::optional<ExtendedReport> from(const RtcpPacket& packet);

  uint32_t ssrc() const;
  std::span<uint8_t> blocks() const { return body_.subspan(4); }

 private:
  explicit ExtendedReport(std::span<uint8_t> body) : body_(body) {}
  // passed in
  std::span<uint8_t> body_;
};

// Writers: each returns the bytes written at the start of `out`, or 0 when the
// packet does not fit (or more than 31 report blocks are given). Writing one
// after another into the remaining space builds a compound packet.
size_t writeSenderReport(std::span<uint8_t> out, uint32_t ssrc, uint32_t ntpSeconds,
                         uint32_t ntpFraction, uint32_t rtpTimestamp, uint32_t packetCount,
                         uint32_t octetCount, std::span<const ReportBlockData> blocks);
size_t writeReceiverReport(std::span<uint8_t> out, uint32_t ssrc,
                           std::span<const ReportBlockData> blocks);
// One chunk with one CNAME item (at most 255 bytes) and its null terminator,
// padded with nulls to a 32-bit boundary (RFC 3550 §6.5).
size_t writeSdesCname(std::span<uint8_t> out, uint32_t ssrc, std::string_view cname);
size_t writeBye(std::span<uint8_t> out, uint32_t ssrc);

}  // namespace callgate::media::rtp
