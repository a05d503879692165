#include "media/codec/OpusCodec.h"

#include <opus.h>

#include <algorithm>
#include <limits>

namespace callgate::media::codec {

namespace {

// RFC 6716 §3.2.1: one packet is at most 1275 bytes per frame and 120 ms;
// libopus recommends 4000 bytes as the output bound.
constexpr size_t kMaxPacketBytes = 4000;
// 120 ms at 48 kHz: the longest packet any decoder can be asked to render.
constexpr int kMaxPacketSamples48k = 5760;

void setError(std::string* error, const char* what, int code) {
  if (!error) return;
  *error = what;
  if (code != OPUS_OK) {
    *error += ": ";
    *error += opus_strerror(code);
  }
}

int clampedSize(size_t n) {
  return static_cast<int>(std::min(n, static_cast<size_t>(std::numeric_limits<int>::max())));
}

}  // namespace

// The OPUS_SET_* macros expand to C casts; the ctl calls below pass the
// request id and an opus_int32 directly, which is what the macros produce.

bool isOpusPcmRate(int sampleRate) {
  return sampleRate == 8000 || sampleRate == 12000 || sampleRate == 16000 || sampleRate == 24000 ||
         sampleRate == 48000;
}

// ---- encoder ---------------------------------------------------------------

void OpusEncoder::StateDeleter::operator()(::OpusEncoder* state) const noexcept {
  opus_encoder_destroy(state);
}

OpusEncoder::OpusEncoder(::OpusEncoder* state, int sampleRate, int channels)
    : state_(state), sampleRate_(sampleRate), channels_(channels) {}

std::unique_ptr<OpusEncoder> OpusEncoder::create(int sampleRate, int channels, int complexity,
                                                 int bitrate, std::string* error) {
  if (!isOpusPcmRate(sampleRate)) {
    setError(error, "unsupported Opus sample rate", OPUS_OK);
    return nullptr;
  }
  if (channels != 1 && channels != 2) {
    setError(error, "Opus channels must be 1 or 2", OPUS_OK);
    return nullptr;
  }
  if (complexity < 0 || complexity > 10) {
    setError(error, "Opus complexity must be 0..10", OPUS_OK);
    return nullptr;
  }
  if (bitrate < 6000 || bitrate > 510000) {
    setError(error, "Opus bitrate must be 6000..510000", OPUS_OK);
    return nullptr;
  }
  int rc = OPUS_OK;
  std::unique_ptr<::OpusEncoder, StateDeleter> state(
      opus_encoder_create(sampleRate, channels, OPUS_APPLICATION_VOIP, &rc));
  if (rc != OPUS_OK || !state) {
    setError(error, "opus_encoder_create failed", rc);
    return nullptr;
  }
  rc = opus_encoder_ctl(state.get(), OPUS_SET_COMPLEXITY_REQUEST, opus_int32{complexity});
  if (rc == OPUS_OK)
    rc = opus_encoder_ctl(state.get(), OPUS_SET_BITRATE_REQUEST, opus_int32{bitrate});
  if (rc == OPUS_OK)
    rc = opus_encoder_ctl(state.get(), OPUS_SET_SIGNAL_REQUEST, opus_int32{OPUS_SIGNAL_VOICE});
  if (rc != OPUS_OK) {
    setError(error, "opus_encoder_ctl failed", rc);
    return nullptr;
  }
  // The constructor is private, so make_unique cannot reach it.
  return std::unique_ptr<OpusEncoder>(new OpusEncoder(state.release(), sampleRate, channels));
}

int OpusEncoder::encode(std::span<const int16_t> frame, std::span<uint8_t> out) {
  const size_t expected = frameSamples() * static_cast<size_t>(channels_);
  if (frame.size() != expected || out.empty()) return -1;
  const int n =
      opus_encode(state_.get(), frame.data(), static_cast<int>(frameSamples()), out.data(),
                  static_cast<opus_int32>(std::min(out.size(), kMaxPacketBytes)));
  return n > 0 ? n : -1;
}

bool OpusEncoder::setInbandFec(bool on) {
  return opus_encoder_ctl(state_.get(), OPUS_SET_INBAND_FEC_REQUEST, opus_int32{on ? 1 : 0}) ==
         OPUS_OK;
}

bool OpusEncoder::setPacketLossPercent(int percent) {
  if (percent < 0 || percent > 100) return false;
  return opus_encoder_ctl(state_.get(), OPUS_SET_PACKET_LOSS_PERC_REQUEST, opus_int32{percent}) ==
         OPUS_OK;
}

bool OpusEncoder::setDtx(bool on) {
  return opus_encoder_ctl(state_.get(), OPUS_SET_DTX_REQUEST, opus_int32{on ? 1 : 0}) == OPUS_OK;
}

bool OpusEncoder::setBitrate(int bitrate) {
  if (bitrate < 6000 || bitrate > 510000) return false;
  return opus_encoder_ctl(state_.get(), OPUS_SET_BITRATE_REQUEST, opus_int32{bitrate}) == OPUS_OK;
}

// ---- decoder ---------------------------------------------------------------

void OpusDecoder::StateDeleter::operator()(::OpusDecoder* state) const noexcept {
  opus_decoder_destroy(state);
}

OpusDecoder::OpusDecoder(::OpusDecoder* state, int sampleRate, int channels)
    : state_(state), sampleRate_(sampleRate), channels_(channels) {}

std::unique_ptr<OpusDecoder> OpusDecoder::create(int sampleRate, int channels, std::string* error) {
  if (!isOpusPcmRate(sampleRate)) {
    setError(error, "unsupported Opus sample rate", OPUS_OK);
    return nullptr;
  }
  if (channels != 1 && channels != 2) {
    setError(error, "Opus channels must be 1 or 2", OPUS_OK);
    return nullptr;
  }
  int rc = OPUS_OK;
  std::unique_ptr<::OpusDecoder, StateDeleter> state(
      opus_decoder_create(sampleRate, channels, &rc));
  if (rc != OPUS_OK || !state) {
    setError(error, "opus_decoder_create failed", rc);
    return nullptr;
  }
  return std::unique_ptr<OpusDecoder>(new OpusDecoder(state.release(), sampleRate, channels));
}

int OpusDecoder::decode(std::span<const uint8_t> packet, std::span<int16_t> out) {
  // An empty packet would make libopus conceal; loss is decodeLost's job.
  if (packet.empty() || packet.size() > kMaxPacketBytes) return -1;
  const size_t capacity = out.size() / static_cast<size_t>(channels_);
  if (capacity == 0) return -1;
  const int maxSamples = kMaxPacketSamples48k / (48000 / sampleRate_);
  const int n = opus_decode(state_.get(), packet.data(), static_cast<opus_int32>(packet.size()),
                            out.data(), std::min(clampedSize(capacity), maxSamples), 0);
  return n > 0 ? n : -1;
}

bool OpusDecoder::validConcealSize(int frameSamples, std::span<int16_t> out) const {
  // libopus conceals in whole 2.5 ms units (RFC 6716 §2: the shortest frame).
  const int unit = sampleRate_ / 400;
  const int maxSamples = kMaxPacketSamples48k / (48000 / sampleRate_);
  return frameSamples > 0 && frameSamples % unit == 0 && frameSamples <= maxSamples &&
         static_cast<size_t>(frameSamples) * static_cast<size_t>(channels_) <= out.size();
}

int OpusDecoder::decodeLost(int frameSamples, std::span<int16_t> out) {
  if (!validConcealSize(frameSamples, out)) return -1;
  const int n = opus_decode(state_.get(), nullptr, 0, out.data(), frameSamples, 0);
  return n > 0 ? n : -1;
}

int OpusDecoder::decodeFec(std::span<const uint8_t> nextPacket, int frameSamples,
                           std::span<int16_t> out) {
  if (nextPacket.empty() || nextPacket.size() > kMaxPacketBytes) return -1;
  if (!validConcealSize(frameSamples, out)) return -1;
  const int n =
      opus_decode(state_.get(), nextPacket.data(), static_cast<opus_int32>(nextPacket.size()),
                  out.data(), frameSamples, 1);
  return n > 0 ? n : -1;
}

}  // namespace callgate::media::codec
