#include "media/bridge/OutputStream.h"

#include <algorithm>

#include "media/rtp/RtpPacket.h"

namespace callgate::media::bridge {

OutputStream::OutputStream(uint32_t ssrc, uint16_t firstSequence, uint32_t firstTimestamp)
    : ssrc_(ssrc), highestSequence_(firstSequence), anchorTimestamp_(firstTimestamp) {}

uint32_t OutputStream::continuationTimestamp(int64_t nowUs, uint32_t clockRate) const {
  if (!hasAnchor_) return anchorTimestamp_;
  const int64_t elapsed = microsToTicks(std::max<int64_t>(nowUs - anchorUs_, 0), clockRate);
  const int64_t step = std::max<int64_t>(elapsed, clockRate / 50);
  return anchorTimestamp_ + static_cast<uint32_t>(step);
}

uint32_t OutputStream::timestampAt(int64_t nowUs, uint32_t clockRate) const {
  if (!hasAnchor_) return anchorTimestamp_;
  return anchorTimestamp_ +
         static_cast<uint32_t>(microsToTicks(std::max<int64_t>(nowUs - anchorUs_, 0), clockRate));
}

void OutputStream::send(PacketSink& sink, uint8_t payloadType, bool marker, uint16_t sequence,
                        uint32_t timestamp, size_t payloadLength, int64_t nowUs) {
  payloadLength = std::min(payloadLength, kMaxPayload);
  rtp::RtpPacket::writeHeader(std::span<uint8_t>(buffer_.data(), kHeaderSize), payloadType, marker,
                              sequence, timestamp, ssrc_);
  // Newest sequence number and timestamp, by their signed distance so both
  // wrap (a reordered packet moves neither).
  if (!started_ || static_cast<int16_t>(sequence - highestSequence_) > 0) {
    highestSequence_ = sequence;
  }
  started_ = true;
  if (!hasAnchor_ || static_cast<int32_t>(timestamp - anchorTimestamp_) > 0) {
    anchorTimestamp_ = timestamp;
    anchorUs_ = nowUs;
    hasAnchor_ = true;
  }
  ++packetCount_;
  octetCount_ += static_cast<uint32_t>(payloadLength);
  sentSinceReport_ = true;
  sink.sendRtp(buffer_.data(), kHeaderSize + payloadLength);
}

bool OutputStream::takeSentSinceReport() {
  const bool sent = sentSinceReport_;
  sentSinceReport_ = false;
  return sent;
}

}  // namespace callgate::media::bridge
