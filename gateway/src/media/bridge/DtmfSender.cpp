#include "media/bridge/DtmfSender.h"

namespace callgate::media::bridge {

bool DtmfSender::enqueue(uint8_t event, uint32_t durationMs) {
  if (count_ == kQueueSize) return false;
  queue_[(head_ + count_) % kQueueSize] = Digit{event, durationMs};
  ++count_;
  return true;
}

void DtmfSender::clear() {
  count_ = 0;
  current_.reset();
  next_.reset();
}

void DtmfSender::start(int64_t nowUs, uint32_t timestamp, uint32_t clockRate) {
  if (count_ == 0) return;
  const Digit digit = queue_[head_];
  head_ = (head_ + 1) % kQueueSize;
  --count_;
  current_.emplace(digit.event, digit.durationMs, kVolume, clockRate);
  next_ = current_->next();
  startUs_ = nowUs;
  timestamp_ = timestamp;
  endSent_ = false;
}

std::optional<codec::DtmfPacket> DtmfSender::due(int64_t nowUs) {
  if (!current_ || !next_) return std::nullopt;
  if (nowUs < startUs_ + int64_t{next_->sendAtMs} * 1000) return std::nullopt;
  codec::DtmfPacket packet = *next_;
  if (packet.event.end) endSent_ = true;
  next_ = current_->next();
  if (!next_) current_.reset();
  return packet;
}

}  // namespace callgate::media::bridge
