#include "media/bridge/RtcpReporter.h"

#include <array>

#include "media/rtp/RtcpPacket.h"

namespace callgate::media::bridge {

namespace {

// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01.
constexpr uint64_t kNtpUnixOffset = 2'208'988'800ULL;

}  // namespace

NtpTime ntpFromUnixMicros(int64_t unixMicros) {
  const auto micros = static_cast<uint64_t>(unixMicros < 0 ? 0 : unixMicros);
  const uint64_t seconds = micros / 1'000'000 + kNtpUnixOffset;
  const uint64_t fraction = ((micros % 1'000'000) << 32) / 1'000'000;
  return {static_cast<uint32_t>(seconds), static_cast<uint32_t>(fraction)};
}

void RtcpReporter::onRtp(uint32_t ssrc, uint16_t sequence, uint32_t timestamp, uint32_t clockRate,
                         int64_t nowUs) {
  if (!receiving_ || stats_.ssrc() != ssrc) {
    stats_ = rtp::RtpReceiveStats(ssrc);
    receiving_ = true;
  }
  // A.8: arrival in the stream's own clock units; both sides of the
  // difference wrap the same way.
  const auto arrival = static_cast<uint32_t>(microsToTicks(nowUs, clockRate));
  stats_.update(sequence, arrival, timestamp);
}

void RtcpReporter::onRtcp(std::span<uint8_t> packet, int64_t nowUs) {
  const auto compound = rtp::RtcpCompound::parse(packet);
  if (!compound) return;
  for (const rtp::RtcpPacket p : *compound) {
    if (p.packetType() != rtp::RtcpType::kSenderReport) continue;
    const auto sr = rtp::SenderReport::from(p);
    if (!sr) continue;
    haveSr_ = true;
    srSsrc_ = sr->ssrc();
    lastSr_ = sr->ntpMiddle32();
    srArrivalUs_ = nowUs;
  }
}

void RtcpReporter::mediaFlowing(int64_t nowUs, Xorshift64& random) {
  if (scheduled_) return;
  scheduled_ = true;
  nextReportUs_ = nowUs + random.between(kFirstMinUs, kFirstMaxUs + 1);
}

size_t RtcpReporter::write(std::span<uint8_t> out, OutputStream& stream, uint32_t outClock,
                           int64_t nowUs, int64_t wallOffsetUs, std::string_view cname,
                           Xorshift64& random) {
  nextReportUs_ = nowUs + random.between(kIntervalUs / 2, kIntervalUs * 3 / 2 + 1);

  std::array<rtp::ReportBlockData, 1> blocks{};
  size_t blockCount = 0;
  if (receiving_ && stats_.valid()) {
    uint32_t lastSr = 0;
    uint32_t delay = 0;
    // LSR/DLSR only for an SR from the source this block is about (§6.4.1).
    if (haveSr_ && srSsrc_ == stats_.ssrc()) {
      lastSr = lastSr_;
      const int64_t sinceUs = nowUs > srArrivalUs_ ? nowUs - srArrivalUs_ : 0;
      delay = static_cast<uint32_t>((static_cast<uint64_t>(sinceUs) << 16) / 1'000'000);
    }
    stats_.fillReportBlock(blocks[0], lastSr, delay);
    blockCount = 1;
  }
  const std::span<const rtp::ReportBlockData> used(blocks.data(), blockCount);

  size_t length = 0;
  if (stream.takeSentSinceReport()) {
    const NtpTime ntp = ntpFromUnixMicros(nowUs + wallOffsetUs);
    length = rtp::writeSenderReport(out, stream.ssrc(), ntp.seconds, ntp.fraction,
                                    stream.timestampAt(nowUs, outClock), stream.packetCount(),
                                    stream.octetCount(), used);
  } else {
    length = rtp::writeReceiverReport(out, stream.ssrc(), used);
  }
  if (length == 0) return 0;
  const size_t sdes = rtp::writeSdesCname(out.subspan(length), stream.ssrc(), cname);
  if (sdes == 0) return 0;
  return length + sdes;
}

}  // namespace callgate::media::bridge
