#include "media/codec/TelephoneEvent.h"

#include <algorithm>

namespace callgate::media::codec {

std::optional<TelephoneEvent> parseTelephoneEvent(std::span<const uint8_t> payload) {
  if (payload.size() < kTelephoneEventSize) return std::nullopt;
  TelephoneEvent e;
  e.event = payload[0];
  e.end = (payload[1] & 0x80) != 0;
  e.volume = payload[1] & 0x3F;
  e.duration = static_cast<uint16_t>((payload[2] << 8) | payload[3]);
  return e;
}

size_t writeTelephoneEvent(const TelephoneEvent& event, std::span<uint8_t> out) {
  if (out.size() < kTelephoneEventSize || event.volume > 0x3F) return 0;
  out[0] = event.event;
  out[1] = static_cast<uint8_t>((event.end ? 0x80 : 0x00) | event.volume);
  out[2] = static_cast<uint8_t>(event.duration >> 8);
  out[3] = static_cast<uint8_t>(event.duration & 0xFF);
  return kTelephoneEventSize;
}

std::optional<uint8_t> dtmfEventFromChar(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
  if (c == '*') return uint8_t{10};
  if (c == '#') return uint8_t{11};
  if (c >= 'A' && c <= 'D') return static_cast<uint8_t>(12 + (c - 'A'));
  if (c >= 'a' && c <= 'd') return static_cast<uint8_t>(12 + (c - 'a'));
  return std::nullopt;
}

std::optional<char> dtmfCharFromEvent(uint8_t event) {
  static constexpr char kChars[] = "0123456789*#ABCD";
  if (event > 15) return std::nullopt;
  return kChars[event];
}

DtmfGenerator::DtmfGenerator(uint8_t event, uint32_t durationMs, uint8_t volume, uint32_t clockRate,
                             uint32_t intervalMs)
    : event_(event),
      volume_(std::min<uint8_t>(volume, 0x3F)),
      clockRate_(std::clamp<uint32_t>(clockRate, 1000, 192000)),
      intervalMs_(std::clamp<uint32_t>(intervalMs, 10, 1000)) {
  // The duration field counts clock ticks in 16 bits.
  const uint32_t maxMs = 0xFFFFu * 1000u / clockRate_;
  durationMs_ = std::clamp<uint32_t>(durationMs, 1, maxMs);
  // Updates go out at interval, 2 × interval, ... strictly before the end;
  // the end packet itself goes at durationMs.
  updates_ = (durationMs_ - 1) / intervalMs_;
}

DtmfPacket DtmfGenerator::makePacket(uint32_t atMs, bool end, bool marker) const {
  DtmfPacket p;
  const uint32_t toneMs = std::min(atMs, durationMs_);
  p.event.event = event_;
  p.event.end = end;
  p.event.volume = volume_;
  p.event.duration = static_cast<uint16_t>(uint64_t{toneMs} * clockRate_ / 1000);
  p.marker = marker;
  p.timestampOffset = 0;
  p.sendAtMs = atMs;
  writeTelephoneEvent(p.event, p.payload);
  return p;
}

std::optional<DtmfPacket> DtmfGenerator::next() {
  if (step_ >= updates_ + kEndRepeats) return std::nullopt;
  const uint32_t i = step_++;
  if (i < updates_) return makePacket((i + 1) * intervalMs_, false, i == 0);
  const uint32_t repeat = i - updates_;
  // With a tone shorter than one interval the end packet is also the first.
  return makePacket(durationMs_ + repeat * intervalMs_, true, i == 0);
}

}  // namespace callgate::media::codec
