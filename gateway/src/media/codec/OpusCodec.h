#pragma once
// libopus, wrapped once (DESIGN.md convention 10): each handle lives in a
// unique_ptr with a custom deleter, creation is the only place that
// allocates, and encode/decode return -1 instead of throwing.
//
// Opus ↔ G.711 transcoding needs no resampler: the Opus decoder renders any
// packet directly at 8 kHz (RFC 6716 §4: the decoder output rate is chosen
// by the receiver, independently of the coded bandwidth), and the encoder
// accepts 8 kHz input and codes it as narrowband. A G.711 leg therefore
// runs its Opus peer at 8000 Hz on both directions.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

// The libopus handle types, declared here so the header does not pull in
// <opus.h>; they are the same incomplete structs libopus declares. Code
// outside this namespace should spell the wrappers codec::OpusEncoder, since
// a plain OpusEncoder can also find the libopus struct.
struct OpusEncoder;
struct OpusDecoder;

namespace callgate::media::codec {

// True for the rates libopus accepts for PCM on either side.
bool isOpusPcmRate(int sampleRate);

class OpusEncoder {
 public:
  // sampleRate: 8000, 12000, 16000, 24000 or 48000; channels: 1 or 2;
  // complexity 0..10; bitrate 6000..510000 bit/s. Application VOIP.
  static std::unique_ptr<OpusEncoder> create(int sampleRate, int channels, int complexity,
                                             int bitrate, std::string* error);

  // Encodes one 20 ms frame of interleaved PCM (sampleRate / 50 × channels
  // samples). Returns the packet size in bytes, or -1 on a wrong frame size
  // or a libopus error.
  int encode(std::span<const int16_t> frame, std::span<uint8_t> out);

  // RFC 6716 §2.1.7 in-band FEC (LBRR): only coded when the expected loss
  // is above zero, so set both.
  bool setInbandFec(bool on);
  bool setPacketLossPercent(int percent);  // 0..100
  bool setDtx(bool on);                    // RFC 6716 §2.1.9
  bool setBitrate(int bitrate);

  int sampleRate() const { return sampleRate_; }
  int channels() const { return channels_; }
  size_t frameSamples() const { return static_cast<size_t>(sampleRate_ / 50); }

 private:
  struct StateDeleter {
    void operator()(::OpusEncoder* state) const noexcept;
  };
  OpusEncoder(::OpusEncoder* state, int sampleRate, int channels);

  // owned
  std::unique_ptr<::OpusEncoder, StateDeleter> state_;
  int sampleRate_;
  int channels_;
};

class OpusDecoder {
 public:
  // sampleRate: 8000, 12000, 16000, 24000 or 48000; channels: 1 or 2. Any
  // Opus packet decodes at any of these, mono or stereo.
  static std::unique_ptr<OpusDecoder> create(int sampleRate, int channels,
                                             std::string* error = nullptr);

  // Decodes one packet into interleaved `out`. Returns samples per channel,
  // or -1 for an empty or malformed packet or an `out` too small for it
  // (a packet may hold up to 120 ms).
  int decode(std::span<const uint8_t> packet, std::span<int16_t> out);

  // Packet loss concealment for one missing frame of frameSamples per
  // channel (a multiple of 2.5 ms). Returns frameSamples or -1.
  int decodeLost(int frameSamples, std::span<int16_t> out);

  // Recovers the frame before `nextPacket` from its in-band FEC data; when
  // nextPacket carries none, libopus conceals instead. Returns frameSamples
  // or -1.
  int decodeFec(std::span<const uint8_t> nextPacket, int frameSamples, std::span<int16_t> out);

  int sampleRate() const { return sampleRate_; }
  int channels() const { return channels_; }

 private:
  struct StateDeleter {
    void operator()(::OpusDecoder* state) const noexcept;
  };
  OpusDecoder(::OpusDecoder* state, int sampleRate, int channels);
  bool validConcealSize(int frameSamples, std::span<int16_t> out) const;

  // owned
  std::unique_ptr<::OpusDecoder, StateDeleter> state_;
  int sampleRate_;
  int channels_;
};

}  // namespace callgate::media::codec
