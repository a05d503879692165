#pragma once
// Classifies a datagram arriving on an ICE socket by its first byte (RFC 7983
// §5, §7) so STUN, DTLS and SRTP/SRTCP sharing one 5-tuple reach the right handler.
// Cheap enough to run on every packet: it reads at most two bytes.

#include <cstdint>
#include <span>

namespace callgate::media::rtp {

enum class PacketKind { Stun, Dtls, Rtp, Rtcp, Unknown };

// RFC 5761 §4: with RTP and RTCP on one port, RTCP packet types 192..223 land
// on "payload types" 64..95 once the marker bit is masked off; RTP must not use
// those payload types, so the second byte tells the two apart.
constexpr bool isRtcpPayloadType(uint8_t secondByte) {
  const unsigned pt = secondByte & 0x7fU;
  return pt >= 64 && pt <= 95;
}

constexpr PacketKind classify(std::span<const uint8_t> packet) {
  if (packet.empty()) return PacketKind::Unknown;
  const uint8_t b = packet[0];
  // RFC 7983 §5 and §7 (TURN channels):
  //
  //                  +----------------+
  //                  |        [0..3] -+--> forward to STUN
  //                  |                |
  //                  |      [16..19] -+--> forward to ZRTP
  //                  |                |
  //      packet -->  |      [20..63] -+--> forward to DTLS
  //                  |                |
  //                  |      [64..79] -+--> forward to TURN Channel
  //                  |                |
  //                  |    [128..191] -+--> forward to RTP/RTCP
  //                  +----------------+
  //
  // ZRTP and TURN channels are not used on our ICE sockets: they are Unknown.
  switch (b >> 6) {
    case 0:  // 0..63
      if (b <= 3) return PacketKind::Stun;
      if (b >= 20) return PacketKind::Dtls;
      return PacketKind::Unknown;  // 4..15 unassigned, 16..19 ZRTP
    case 2:                        // 128..191
      if (packet.size() < 2) return PacketKind::Unknown;
      return isRtcpPayloadType(packet[1]) ? PacketKind::Rtcp : PacketKind::Rtp;
    default:  // 64..79 TURN channels, the rest unassigned
      return PacketKind::Unknown;
  }
}

}  // namespace callgate::media::rtp
