#pragma once
// RFC 4733 telephone-events carried across the transcoding path. Events are
// forwarded, not decoded: each packet keeps its event, end bit and volume,
// takes the output stream's numbering, and one output timestamp is frozen
// per event (§2.5.1.2: every packet of an event carries its start time).
// When the two legs' telephone-event clocks differ (48000 ↔ 8000) the
// duration field is rescaled to the outgoing clock. While an event is in
// progress the audio of that direction is muted, as §2.5.1.1 suggests.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace callgate::media::bridge {

class EventRelay {
 public:
  // An event whose end packet was lost stops muting after this long without
  // any update (updates come every 50 ms or so, §2.5.1.2).
  static constexpr int64_t kEventTimeoutUs = 250'000;

  struct Forward {
    uint32_t timestamp;  // output timestamp of the event
    bool marker;         // first packet of a new event (§2.5.1.3)
    size_t length;       // payload bytes written
  };

  // Rewrites one incoming event packet into `out`. `inTimestamp` is the
  // packet's timestamp; `startTimestamp` is where the event starts on the
  // output timeline, used only when this packet begins a new event.
  // nullopt for a payload shorter than one event.
  std::optional<Forward> relay(std::span<const uint8_t> payload, uint32_t inTimestamp,
                               uint32_t inClock, uint32_t outClock, uint32_t startTimestamp,
                               int64_t nowUs, std::span<uint8_t> out);

  // Whether this payload would begin a new event (so the caller can pick a
  // start timestamp on its timeline only then).
  bool startsEvent(uint32_t inTimestamp) const { return !active_ || inTimestamp != inTimestamp_; }

  // Audio of this direction is held back while an event plays.
  bool muting(int64_t nowUs) const {
    return active_ && !ended_ && nowUs - lastUpdateUs_ < kEventTimeoutUs;
  }
  void reset() { active_ = false; }

 private:
  bool active_ = false;
  bool ended_ = false;
  uint32_t inTimestamp_ = 0;
  uint32_t outTimestamp_ = 0;
  int64_t lastUpdateUs_ = 0;
};

// A duration in `fromClock` ticks expressed in `toClock` ticks, saturating
// at the 16-bit field's maximum.
uint16_t rescaleDuration(uint16_t duration, uint32_t fromClock, uint32_t toClock);

}  // namespace callgate::media::bridge
