#pragma once
// One direction of the transcoding path: a jitter buffer in the incoming
// codec's clock, a decoder to 8 kHz mono PCM and an encoder of the outgoing
// codec, played out once per 20 ms slot. G.711 is 8 kHz by definition and
// libopus decodes and encodes at 8 kHz directly (RFC 6716 §4), so no
// resampler is needed. Everything is allocated by create(); push() and
// play() never allocate.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "media/bridge/MediaBridge.h"
#include "media/codec/AudioFrame.h"
#include "media/codec/JitterBuffer.h"
#include "media/codec/OpusCodec.h"

namespace callgate::media::bridge {

class Transcoder {
 public:
  // What one 20 ms slot produced.
  struct Slot {
    bool due = false;        // the jitter buffer had a frame (packet or gap) for this slot
    bool concealed = false;  // the frame was made up (PLC, repeat or silence)
    bool marker = false;     // the sender marked the packet (talk spurt start)
    size_t bytes = 0;        // encoded payload in `out`; 0 when none
  };

  // nullptr with *error when a codec cannot be set up.
  static std::unique_ptr<Transcoder> create(AudioCodec from, uint32_t fromClock, AudioCodec to,
                                            const BridgeSettings& settings, std::string* error);

  AudioCodec from() const { return from_; }
  uint32_t fromClock() const { return fromClock_; }
  AudioCodec to() const { return to_; }

  void push(uint16_t sequence, uint32_t timestamp, std::span<const uint8_t> payload, bool marker,
            int64_t nowUs);
  // A new source: forget its packets and numbering.
  void reset();

  // Plays one slot. With `produce` false (nothing may be sent) the frame is
  // taken from the buffer but not decoded or encoded.
  Slot play(int64_t nowUs, bool produce, std::span<uint8_t> out);

 private:
  // Repeat the last good G.711 frame this many times, fading, then silence.
  static constexpr int kMaxRepeats = 3;

  Transcoder(AudioCodec from, uint32_t fromClock, AudioCodec to,
             const codec::JitterBufferConfig& config);
  bool decode(std::span<const uint8_t> payload);
  void conceal();
  size_t encode(std::span<uint8_t> out);

  // passed in
  const AudioCodec from_;
  const uint32_t fromClock_;
  const AudioCodec to_;
  // owned
  codec::JitterBuffer jitterBuffer_;
  std::unique_ptr<codec::OpusDecoder> decoder_;  // when from_ is Opus
  std::unique_ptr<codec::OpusEncoder> encoder_;  // when to_ is Opus
  std::array<int16_t, codec::kFrameSamples8k> pcm_{};
  std::array<int16_t, codec::kFrameSamples8k> lastGood_{};
  // A decoded Opus packet may hold up to 120 ms.
  std::array<int16_t, codec::kFrameSamples8k * 6> decodeBuffer_{};
  bool haveLastGood_ = false;
  int repeats_ = 0;
};

}  // namespace callgate::media::bridge
