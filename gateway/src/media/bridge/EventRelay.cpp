#include "media/bridge/EventRelay.h"

#include <algorithm>

#include "media/codec/TelephoneEvent.h"

namespace callgate::media::bridge {

uint16_t rescaleDuration(uint16_t duration, uint32_t fromClock, uint32_t toClock) {
  if (fromClock == toClock || fromClock == 0) return duration;
  const uint64_t scaled = (uint64_t{duration} * toClock + fromClock / 2) / fromClock;
  return static_cast<uint16_t>(std::min<uint64_t>(scaled, 0xFFFF));
}

std::optional<EventRelay::Forward> EventRelay::relay(std::span<const uint8_t> payload,
                                                     uint32_t inTimestamp, uint32_t inClock,
                                                     uint32_t outClock, uint32_t startTimestamp,
                                                     int64_t nowUs, std::span<uint8_t> out) {
  auto event = codec::parseTelephoneEvent(payload);
  if (!event) return std::nullopt;
  const bool fresh = startsEvent(inTimestamp);
  if (fresh) {
    active_ = true;
    ended_ = false;
    inTimestamp_ = inTimestamp;
    outTimestamp_ = startTimestamp;
  }
  // The end packet is repeated (§2.5.1.4); once seen, the event is over.
  if (event->end) ended_ = true;
  lastUpdateUs_ = nowUs;
  event->duration = rescaleDuration(event->duration, inClock, outClock);
  // Only the current event is forwarded: the redundant earlier events a
  // packet may append (§2.5.1.5) carry timestamps we have not mapped.
  const size_t length = codec::writeTelephoneEvent(*event, out);
  if (length == 0) return std::nullopt;
  return Forward{outTimestamp_, fresh, length};
}

}  // namespace callgate::media::bridge
