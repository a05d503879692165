#pragma once
// Shared pieces of the bridge tests: a sink that records what the bridge
// sends (copied, since the bridge reuses its buffer), RTP packet builders,
// stream formats; the audio checks (Goertzel, RMS, sine) come from
// support/ToneAnalysis.h.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/bridge/MediaBridge.h"
#include "media/rtp/RtpPacket.h"
#include "support/ToneAnalysis.h"

namespace callgate::media::bridge::test {

using callgate::test::fillSine;
using callgate::test::rms;
using callgate::test::toneEnergyFraction;

struct SentRtp {
  int64_t atUs = 0;  // the test clock when it was sent
  uint8_t payloadType = 0;
  bool marker = false;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  size_t size = 0;  // whole packet
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> payload;
};

struct SentRtcp {
  int64_t atUs = 0;
  std::vector<uint8_t> bytes;
};

class RecordingSink : public PacketSink {
 public:
  explicit RecordingSink(const int64_t& clock) : clock_(clock) {}

  bool sendRtp(uint8_t* buffer, size_t length) override {
    SentRtp s;
    s.atUs = clock_;
    s.bytes.assign(buffer, buffer + length);
    s.size = length;
    auto view = rtp::RtpPacket::parse(s.bytes);
    if (!view) {
      ++malformed;
      return true;
    }
    s.payloadType = view->payloadType();
    s.marker = view->marker();
    s.sequence = view->sequence();
    s.timestamp = view->timestamp();
    s.ssrc = view->ssrc();
    s.payload.assign(view->payload().begin(), view->payload().end());
    rtp.push_back(std::move(s));
    return true;
  }
  bool sendRtcp(uint8_t* buffer, size_t length) override {
    rtcp.push_back(SentRtcp{clock_, std::vector<uint8_t>(buffer, buffer + length)});
    return true;
  }

  // Packets of one payload type.
  std::vector<SentRtp> withPayloadType(uint8_t pt) const {
    std::vector<SentRtp> out;
    for (const auto& s : rtp) {
      if (s.payloadType == pt) out.push_back(s);
    }
    return out;
  }

  std::vector<SentRtp> rtp;
  std::vector<SentRtcp> rtcp;
  int malformed = 0;

 private:
  const int64_t& clock_;
};

// A plain RTP packet (version 2, no CSRC, no extension).
inline std::vector<uint8_t> makeRtp(uint8_t pt, uint16_t seq, uint32_t ts, uint32_t ssrc,
                                    std::span<const uint8_t> payload, bool marker = false) {
  std::vector<uint8_t> p(12 + payload.size());
  rtp::RtpPacket::writeHeader(p, pt, marker, seq, ts, ssrc);
  std::copy(payload.begin(), payload.end(), p.begin() + 12);
  return p;
}

inline std::vector<uint8_t> fillPayload(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7);
  return v;
}

inline StreamFormat pcmu(uint8_t pt = 0, std::optional<uint8_t> te = 101, uint32_t teClock = 8000) {
  return StreamFormat{AudioCodec::Pcmu, pt, 8000, te, teClock};
}
inline StreamFormat pcma(uint8_t pt = 8, std::optional<uint8_t> te = 101, uint32_t teClock = 8000) {
  return StreamFormat{AudioCodec::Pcma, pt, 8000, te, teClock};
}
inline StreamFormat opus(uint8_t pt = 111, std::optional<uint8_t> te = 126,
                         uint32_t teClock = 48000) {
  return StreamFormat{AudioCodec::Opus, pt, 48000, te, teClock};
}

// Sequence numbers step by exactly one, with wrap.
inline bool consecutive(const std::vector<SentRtp>& packets) {
  for (size_t i = 1; i < packets.size(); ++i) {
    if (static_cast<uint16_t>(packets[i - 1].sequence + 1) != packets[i].sequence) return false;
  }
  return true;
}

}  // namespace callgate::media::bridge::test
