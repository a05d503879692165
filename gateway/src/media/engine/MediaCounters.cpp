#include "media/engine/MediaCounters.h"

namespace callgate::media::engine {

std::string_view mediaCounterName(MediaCounter counter) {
  switch (counter) {
    case MediaCounter::RtpReceived:
      return "media.rtp_received";
    case MediaCounter::RtpSent:
      return "media.rtp_sent";
    case MediaCounter::RtcpReceived:
      return "media.rtcp_received";
    case MediaCounter::RtcpSent:
      return "media.rtcp_sent";
    case MediaCounter::BytesReceived:
      return "media.bytes_received";
    case MediaCounter::BytesSent:
      return "media.bytes_sent";
    case MediaCounter::SrtpAuthenticationFailed:
      return "media.srtp_authentication_failed";
    case MediaCounter::SrtpReplayed:
      return "media.srtp_replayed";
    case MediaCounter::MalformedDropped:
      return "media.malformed_dropped";
    case MediaCounter::UnexpectedDropped:
      return "media.unexpected_dropped";
    case MediaCounter::StunRejected:
      return "media.stun_rejected";
    case MediaCounter::SendFailed:
      return "media.send_failed";
    case MediaCounter::DtlsFailed:
      return "media.dtls_failed";
    case MediaCounter::IceFailed:
      return "media.ice_failed";
    case MediaCounter::IcePairsServed:
      return "media.ice_pairs_served";
    case MediaCounter::IceConsentRefreshed:
      return "media.ice_consent_refreshed";
    case MediaCounter::RelayedPackets:
      return "media.relayed_packets";
    case MediaCounter::TranscodedFrames:
      return "media.transcoded_frames";
    case MediaCounter::ConcealedFrames:
      return "media.concealed_frames";
    case MediaCounter::JitterLate:
      return "media.jitter_late";
    case MediaCounter::InactivityTimeouts:
      return "media.inactivity_timeouts";
    case MediaCounter::SessionsCreated:
      return "media.sessions_created";
    case MediaCounter::SessionsClosed:
      return "media.sessions_closed";
    case MediaCounter::Count:
      break;
  }
  return "media.unknown";
}

}  // namespace callgate::media::engine
