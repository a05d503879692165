#include "media/bridge/Transcoder.h"

#include <algorithm>
#include <stdexcept>

#include "media/codec/G711.h"

namespace callgate::media::bridge {

namespace {

constexpr size_t kFrame = codec::kFrameSamples8k;
// In-band FEC (RFC 6716 §2.1.7) is coded only for an expected loss above 0.
constexpr int kExpectedLossPercent = 5;
constexpr size_t kMaxJitterPayload = 1500;

}  // namespace

Transcoder::Transcoder(AudioCodec from, uint32_t fromClock, AudioCodec to,
                       const codec::JitterBufferConfig& config)
    : from_(from), fromClock_(fromClock), to_(to), jitterBuffer_(config) {}

std::unique_ptr<Transcoder> Transcoder::create(AudioCodec from, uint32_t fromClock, AudioCodec to,
                                               const BridgeSettings& settings, std::string* error) {
  codec::JitterBufferConfig config;
  config.clockRate = static_cast<int>(fromClock);
  config.maxPayload = kMaxJitterPayload;
  config.maxDelayMs = std::clamp(settings.jitterBufferMaxMs, 20, 2000);
  config.minDelayMs = 20;
  // Room for the longest delay plus a margin for packets that arrive early.
  config.capacity = static_cast<size_t>(config.maxDelayMs / 20 + 8);
  std::unique_ptr<Transcoder> t;
  try {
    t.reset(new Transcoder(from, fromClock, to, config));
  } catch (const std::invalid_argument& e) {
    if (error) *error = e.what();
    return nullptr;
  }
  if (from == AudioCodec::Opus) {
    t->decoder_ = codec::OpusDecoder::create(8000, 1, error);
    if (!t->decoder_) return nullptr;
  }
  if (to == AudioCodec::Opus) {
    t->encoder_ =
        codec::OpusEncoder::create(8000, 1, settings.opusComplexity, settings.opusBitrate, error);
    if (!t->encoder_) return nullptr;
    if (!t->encoder_->setInbandFec(true) ||
        !t->encoder_->setPacketLossPercent(kExpectedLossPercent)) {
      if (error) *error = "cannot enable Opus in-band FEC";
      return nullptr;
    }
  }
  return t;
}

void Transcoder::push(uint16_t sequence, uint32_t timestamp, std::span<const uint8_t> payload,
                      bool marker, int64_t nowUs) {
  jitterBuffer_.push(sequence, timestamp, payload, nowUs, marker);
}

void Transcoder::reset() {
  jitterBuffer_.reset();
  haveLastGood_ = false;
  repeats_ = 0;
}

bool Transcoder::decode(std::span<const uint8_t> payload) {
  // Each packet is taken as one 20 ms frame (JitterBuffer's rule): a shorter
  // one is padded with silence, the excess of a longer one is not played.
  size_t n = 0;
  switch (from_) {
    case AudioCodec::Pcmu:
      n = codec::ulawDecode(payload, pcm_);
      break;
    case AudioCodec::Pcma:
      n = codec::alawDecode(payload, pcm_);
      break;
    case AudioCodec::Opus: {
      const int samples = decoder_->decode(payload, decodeBuffer_);
      if (samples <= 0) return false;
      n = std::min(static_cast<size_t>(samples), kFrame);
      std::copy_n(decodeBuffer_.begin(), n, pcm_.begin());
      break;
    }
  }
  std::fill(pcm_.begin() + static_cast<std::ptrdiff_t>(n), pcm_.end(), int16_t{0});
  lastGood_ = pcm_;
  haveLastGood_ = true;
  repeats_ = 0;
  return true;
}

void Transcoder::conceal() {
  if (from_ == AudioCodec::Opus) {
    if (decoder_->decodeLost(static_cast<int>(kFrame), pcm_) == static_cast<int>(kFrame)) return;
    pcm_.fill(0);
    return;
  }
  // G.711 has no concealment of its own: repeat the last frame a few times,
  // halving it each time, then fall silent (the idea of G.711 Appendix I
  // without its pitch search).
  if (haveLastGood_ && repeats_ < kMaxRepeats) {
    ++repeats_;
    for (size_t i = 0; i < kFrame; ++i) {
      pcm_[i] = static_cast<int16_t>(lastGood_[i] >> repeats_);
    }
    return;
  }
  pcm_.fill(0);
}

size_t Transcoder::encode(std::span<uint8_t> out) {
  switch (to_) {
    case AudioCodec::Pcmu:
      return codec::ulawEncode(pcm_, out);
    case AudioCodec::Pcma:
      return codec::alawEncode(pcm_, out);
    case AudioCodec::Opus: {
      const int bytes = encoder_->encode(pcm_, out);
      return bytes > 0 ? static_cast<size_t>(bytes) : 0;
    }
  }
  return 0;
}

Transcoder::Slot Transcoder::play(int64_t nowUs, bool produce, std::span<uint8_t> out) {
  Slot slot;
  const codec::JitterBuffer::Frame frame = jitterBuffer_.pop(nowUs);
  if (frame.kind == codec::JitterBuffer::FrameKind::NotYet) return slot;
  slot.due = true;
  if (!produce) return slot;
  bool decoded = false;
  if (frame.kind == codec::JitterBuffer::FrameKind::Packet) {
    decoded = decode(frame.payload);
    slot.marker = frame.marker;
  }
  if (!decoded) {
    conceal();
    slot.concealed = true;
  }
  slot.bytes = encode(out);
  return slot;
}

}  // namespace callgate::media::bridge
