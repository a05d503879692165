#pragma once
// RFC 4733 telephone-event payload (DTMF digits sent as named events).
// Browsers and JsSIP signal DTMF with SIP INFO while call centres expect
// these RTP events, so the gateway both parses and generates them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace callgate::media::codec {

// RFC 4733 §2.3:
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     event     |E|R| volume    |          duration             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
struct TelephoneEvent {
  uint8_t event = 0;      // §3.2: 0-9, * = 10, # = 11, A-D = 12-15 for DTMF
  bool end = false;       // E: this packet reports the end of the event
  uint8_t volume = 0;     // power level in -dBm0, 0..63
  uint16_t duration = 0;  // in RTP clock ticks since the event's timestamp

  bool operator==(const TelephoneEvent&) const = default;
};

inline constexpr size_t kTelephoneEventSize = 4;

// Parses the first event of a payload. §2.5.1.5 lets one packet carry several
// events of 4 bytes each; the first is the current one. The reserved R bit is
// ignored as §2.3.3 asks. nullopt for fewer than 4 bytes.
std::optional<TelephoneEvent> parseTelephoneEvent(std::span<const uint8_t> payload);

// Writes 4 bytes (R = 0). Returns 4, or 0 if `out` is too small or the
// volume does not fit its 6 bits.
size_t writeTelephoneEvent(const TelephoneEvent& event, std::span<uint8_t> out);

// '0'..'9', '*', '#', 'A'..'D' (also lower case) → event code (RFC 4733 §3.2).
std::optional<uint8_t> dtmfEventFromChar(char c);
// Event code 0..15 → '0'..'9', '*', '#', 'A'..'D'.
std::optional<char> dtmfCharFromEvent(uint8_t event);

// One RTP packet of a DTMF event as a sender emits it.
struct DtmfPacket {
  std::array<uint8_t, kTelephoneEventSize> payload{};
  TelephoneEvent event;
  bool marker = false;           // set on the first packet of the event only (§2.5.1.3)
  uint32_t timestampOffset = 0;  // every packet of one event carries its start timestamp
  uint32_t sendAtMs = 0;         // when to send, measured from the start of the tone
};

// Produces the RFC 4733 §2.5.1 packet sequence for one digit, as in the
// example of §5 (Table 5): one packet every `intervalMs` while the tone lasts,
// with the same timestamp and a growing duration (the first with the marker
// bit), then the end packet sent three times (§2.5.1.4) with the final
// duration. Durations are clamped so they fit 16 bits (§2.5.1.3 would split
// longer events; no DTMF digit needs that). No allocation: call next() until
// it returns nullopt.
class DtmfGenerator {
 public:
  static constexpr int kEndRepeats = 3;

  DtmfGenerator(uint8_t event, uint32_t durationMs, uint8_t volume = 10, uint32_t clockRate = 8000,
                uint32_t intervalMs = 50);

  std::optional<DtmfPacket> next();
  void restart() { step_ = 0; }

  uint32_t durationMs() const { return durationMs_; }
  size_t packetCount() const { return static_cast<size_t>(updates_) + kEndRepeats; }

 private:
  DtmfPacket makePacket(uint32_t atMs, bool end, bool marker) const;

  uint8_t event_;
  uint8_t volume_;
  uint32_t clockRate_;
  uint32_t intervalMs_;
  uint32_t durationMs_;
  uint32_t updates_;  // packets before the tone ends
  uint32_t step_ = 0;
};

}  // namespace callgate::media::codec
