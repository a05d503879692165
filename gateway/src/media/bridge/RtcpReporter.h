#pragma once
// RTCP toward one side. The bridge terminates RTCP (it never forwards it:
// SSRCs and sequence spaces differ on the two sides), so for each side it
// keeps RFC 3550 Appendix A statistics about the stream that side sends us,
// remembers that side's last SR for LSR/DLSR, and every few seconds writes
// a compound report: SR when we sent RTP toward the side since the previous
// report, RR otherwise, with one report block about its stream, then SDES
// CNAME (RFC 3550 §6.1, §6.4).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "media/bridge/OutputStream.h"
#include "media/bridge/Random.h"
#include "media/rtp/RtpReceiveStats.h"

namespace callgate::media::bridge {

// Wall time (µs since 1970) as a 64-bit NTP timestamp (RFC 3550 §4).
struct NtpTime {
  uint32_t seconds;
  uint32_t fraction;
};
NtpTime ntpFromUnixMicros(int64_t unixMicros);

class RtcpReporter {
 public:
  // RFC 3550 §6.2: the 5 s minimum interval for a two-party session,
  // randomised over [0.5, 1.5] of it; the first report comes sooner.
  static constexpr int64_t kIntervalUs = 5'000'000;
  static constexpr int64_t kFirstMinUs = 1'000'000;
  static constexpr int64_t kFirstMaxUs = 2'000'000;

  // RTP that arrived from this side (any payload type: they share the
  // sequence space). A new SSRC starts new statistics.
  void onRtp(uint32_t ssrc, uint16_t sequence, uint32_t timestamp, uint32_t clockRate,
             int64_t nowUs);
  // RTCP from this side: remembers its latest SR. Malformed input is ignored.
  void onRtcp(std::span<uint8_t> packet, int64_t nowUs);
  // RTP went to or came from this side: the first report is scheduled.
  void mediaFlowing(int64_t nowUs, Xorshift64& random);

  bool due(int64_t nowUs) const { return scheduled_ && nowUs >= nextReportUs_; }

  // Writes the compound report into `out` and schedules the next one.
  // Returns the length, 0 if it does not fit.
  size_t write(std::span<uint8_t> out, OutputStream& stream, uint32_t outClock, int64_t nowUs,
               int64_t wallOffsetUs, std::string_view cname, Xorshift64& random);

  const rtp::RtpReceiveStats& receiveStats() const { return stats_; }

 private:
  // owned
  bool receiving_ = false;
  rtp::RtpReceiveStats stats_;
  bool haveSr_ = false;
  uint32_t srSsrc_ = 0;
  uint32_t lastSr_ = 0;  // middle 32 bits of its NTP timestamp
  int64_t srArrivalUs_ = 0;
  bool scheduled_ = false;
  int64_t nextReportUs_ = 0;
};

}  // namespace callgate::media::bridge
