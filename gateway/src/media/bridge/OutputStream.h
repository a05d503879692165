#pragma once
// The one RTP stream we send toward a side for the whole call: our SSRC, the
// sequence numbers and the timestamp timeline, and the sender counters an SR
// reports. Whatever feeds it (relayed packets, transcoded frames, generated
// DTMF), the side sees one stream whose sequence numbers step by one and
// whose timestamps advance with wall time (RFC 3550 §5.1), so SRTP rollover
// counters and the far end's jitter buffer never see a reset.
//
// Packets are built in the stream's own buffer (a fresh 12-byte header and
// the payload) and handed to the sink, which may protect them in place.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/bridge/MediaBridge.h"

namespace callgate::media::bridge {

// The largest packet we build; the rest of kSinkCapacity is room for SRTP.
inline constexpr size_t kMaxPacket = 1500;

class OutputStream {
 public:
  static constexpr size_t kHeaderSize = 12;
  static constexpr size_t kMaxPayload = kMaxPacket - kHeaderSize;

  // The first sequence number and timestamp are random (RFC 3550 §5.1).
  OutputStream(uint32_t ssrc, uint16_t firstSequence, uint32_t firstTimestamp);

  uint32_t ssrc() const { return ssrc_; }
  bool started() const { return started_; }
  uint16_t highestSequence() const { return highestSequence_; }
  uint16_t nextSequence() const {
    return started_ ? static_cast<uint16_t>(highestSequence_ + 1) : highestSequence_;
  }

  // Where a new source continues this timeline: the newest timestamp sent
  // plus the wall time since then in `clockRate`, at least one 20 ms frame
  // so the new packet never overlaps the last one.
  uint32_t continuationTimestamp(int64_t nowUs, uint32_t clockRate) const;
  // The timeline's position now, for the SR's RTP timestamp (RFC 3550 §6.4.1).
  uint32_t timestampAt(int64_t nowUs, uint32_t clockRate) const;

  // Where the caller writes the payload before send().
  std::span<uint8_t> payloadArea() { return {buffer_.data() + kHeaderSize, kMaxPayload}; }

  // Writes the header in front of `payloadLength` bytes already in
  // payloadArea(), hands the packet to `sink` and accounts it. The stream
  // moves on even when the sink refuses: the far end then sees a loss.
  void send(PacketSink& sink, uint8_t payloadType, bool marker, uint16_t sequence,
            uint32_t timestamp, size_t payloadLength, int64_t nowUs);

  uint32_t packetCount() const { return packetCount_; }
  uint32_t octetCount() const { return octetCount_; }
  // True when RTP went out since the previous call (SR or RR, RFC 3550 §6.4).
  bool takeSentSinceReport();

 private:
  // passed in
  const uint32_t ssrc_;
  // owned
  bool started_ = false;
  uint16_t highestSequence_;
  bool hasAnchor_ = false;
  uint32_t anchorTimestamp_;  // the newest timestamp sent ...
  int64_t anchorUs_ = 0;      // ... and when
  uint32_t packetCount_ = 0;
  uint32_t octetCount_ = 0;  // payload octets (RFC 3550 §6.4.1)
  bool sentSinceReport_ = false;
  std::array<uint8_t, kSinkCapacity> buffer_{};
};

// Seconds of wall time scaled to an RTP clock, rounded to the nearest tick.
inline int64_t microsToTicks(int64_t micros, uint32_t clockRate) {
  return (micros * static_cast<int64_t>(clockRate) + 500'000) / 1'000'000;
}

}  // namespace callgate::media::bridge
