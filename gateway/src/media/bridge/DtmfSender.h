#pragma once
// DTMF we originate toward one side (digits that arrived as SIP INFO), as
// RFC 4733 events. Digits wait in a small fixed queue and play one after
// another; each plays the DtmfGenerator's packet sequence at its sendAtMs,
// measured from the tick the digit started on. The caller gives every
// packet our numbering and the timestamp frozen when the digit started.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "media/codec/TelephoneEvent.h"

namespace callgate::media::bridge {

class DtmfSender {
 public:
  static constexpr size_t kQueueSize = 16;
  static constexpr uint8_t kVolume = 10;  // -10 dBm0, a usual DTMF level

  // False when the queue is full.
  bool enqueue(uint8_t event, uint32_t durationMs);
  void clear();

  bool idle() const { return !current_ && count_ == 0; }
  // No digit is playing, one is waiting: start() it on this tick.
  bool readyToStart() const { return !current_ && count_ > 0; }
  // Takes the next digit; `timestamp` is its frozen start on the output
  // timeline, `clockRate` the telephone-event clock of the side.
  void start(int64_t nowUs, uint32_t timestamp, uint32_t clockRate);

  // The next packet if it is due at `nowUs`; call until nullopt.
  std::optional<codec::DtmfPacket> due(int64_t nowUs);
  uint32_t timestamp() const { return timestamp_; }
  // The tone is on: audio toward this side stays muted (RFC 4733 §2.5.1.1)
  // until the first end packet has gone.
  bool toneOn() const { return current_.has_value() && !endSent_; }

 private:
  struct Digit {
    uint8_t event;
    uint32_t durationMs;
  };

  std::array<Digit, kQueueSize> queue_{};
  size_t head_ = 0;
  size_t count_ = 0;
  std::optional<codec::DtmfGenerator> current_;
  std::optional<codec::DtmfPacket> next_;
  int64_t startUs_ = 0;
  uint32_t timestamp_ = 0;
  bool endSent_ = false;
};

}  // namespace callgate::media::bridge
