#pragma once
// A view of one RTP packet (RFC 3550 §5.1) in a caller-owned buffer: parse()
// checks every length once, accessors then read the wire bytes directly and
// setters rewrite them in place (passthrough rewrites PT/SSRC/seq/ts this way).
// No allocation, no exceptions; the buffer must outlive the view.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace callgate::media::rtp {

class RtpPacket {
 public:
  static constexpr size_t kFixedHeaderSize = 12;
  static constexpr uint16_t kOneByteExtensionProfile = 0xBEDE;  // RFC 8285 §4.2
  static constexpr uint16_t kTwoByteExtensionProfile = 0x1000;  // RFC 8285 §4.3, low 4 bits free

  // nullopt unless `packet` is a well-formed RTP packet: version 2, the CSRC
  // list and header extension inside the buffer, and a non-zero padding count
  // that does not reach into the header (RFC 3550 §5.1, §5.3.1).
  static std::optional<RtpPacket> parse(std::span<uint8_t> packet);

  // Writes a 12-byte header without CSRCs, extension or padding for a packet
  // we originate; returns kFixedHeaderSize, or 0 when `out` is too small.
  static size_t writeHeader(std::span<uint8_t> out, uint8_t payloadType, bool marker,
                            uint16_t sequence, uint32_t timestamp, uint32_t ssrc);

  bool marker() const { return (data_[1] & 0x80) != 0; }
  uint8_t payloadType() const { return data_[1] & 0x7f; }
  uint16_t sequence() const;
  uint32_t timestamp() const;
  uint32_t ssrc() const;
  uint8_t csrcCount() const { return data_[0] & 0x0f; }
  // The i-th contributing source; 0 when i >= csrcCount().
  uint32_t csrc(size_t i) const;

  bool hasExtension() const { return (data_[0] & 0x10) != 0; }
  // "defined by profile" field of the extension header; 0 without one.
  uint16_t extensionProfile() const;
  // Extension body after its 4-byte header; empty without one.
  std::span<uint8_t> extensionData() const;
  // RFC 8285 element lookup in a one-byte (0xBEDE) or two-byte (0x100X)
  // extension. Returns the element's data (possibly empty for two-byte
  // elements), or nullopt when absent, malformed or the profile is another one.
  std::optional<std::span<uint8_t>> findExtension(uint8_t id) const;

  std::span<uint8_t> payload() const { return data_.subspan(headerSize_, payloadSize_); }
  size_t paddingSize() const { return paddingSize_; }
  size_t headerSize() const { return headerSize_; }
  size_t size() const { return data_.size(); }
  std::span<uint8_t> bytes() const { return data_; }

  void setMarker(bool marker);
  void setPayloadType(uint8_t payloadType);  // the low 7 bits are used
  void setSequence(uint16_t sequence);
  void setTimestamp(uint32_t timestamp);
  void setSsrc(uint32_t ssrc);

 private:
  RtpPacket(std::span<uint8_t> data, size_t headerSize, size_t payloadSize, size_t paddingSize)
      : data_(data),
        headerSize_(headerSize),
        payloadSize_(payloadSize),
        paddingSize_(paddingSize) {}

  // passed in
  std::span<uint8_t> data_;
  size_t headerSize_;
  size_t payloadSize_;
  size_t paddingSize_;
};

}  // namespace callgate::media::rtp
