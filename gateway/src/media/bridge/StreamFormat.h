#pragma once
// What one leg's RTP carries, as negotiated in its SDP: the audio codec and
// its payload type, and RFC 4733 telephone-event if agreed.

#include <cstdint>
#include <optional>
#include <string_view>

namespace callgate::media::bridge {

enum class AudioCodec : uint8_t { Pcmu, Pcma, Opus };

std::string_view audioCodecName(AudioCodec codec);  // "PCMU", "PCMA", "opus"

struct StreamFormat {
  AudioCodec codec = AudioCodec::Pcmu;
  uint8_t payloadType = 0;
  uint32_t clockRate = 8000;  // RTP clock: 8000 for G.711, 48000 for Opus
  std::optional<uint8_t> telephoneEventPayloadType;
  uint32_t telephoneEventClockRate = 8000;
  bool operator==(const StreamFormat&) const = default;
};

// Relaying needs no transcoder when both legs carry the same codec.
inline bool sameCodec(const StreamFormat& a, const StreamFormat& b) {
  return a.codec == b.codec && a.clockRate == b.clockRate;
}

}  // namespace callgate::media::bridge
