#include "media/engine/MediaLeg.h"

#include <glib.h>

#include "media/engine/MediaCounters.h"

namespace callgate::media::engine {

void MediaLeg::deliver(rtc::SrtpSession* srtp, std::span<uint8_t> packet, bool rtcp) {
  size_t length = packet.size();
  if (srtp) {
    const auto result = rtcp ? srtp->unprotectRtcp(packet.data(), length)
                             : srtp->unprotectRtp(packet.data(), length);
    if (result != rtc::SrtpResult::Ok) {
      counters_.inc(result == rtc::SrtpResult::Replay ? MediaCounter::SrtpReplayed
                                                      : MediaCounter::SrtpAuthenticationFailed);
      return;
    }
  }
  counters_.inc(rtcp ? MediaCounter::RtcpReceived : MediaCounter::RtpReceived);
  lastReceivedUs_ = g_get_monotonic_time();
  if (rtcp) {
    listener_.onLegRtcp(*this, packet.first(length));
  } else {
    listener_.onLegRtp(*this, packet.first(length));
  }
}

}  // namespace callgate::media::engine
