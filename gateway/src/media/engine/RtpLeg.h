#pragma once
// The call-centre side of a call: plain RTP/RTCP (RTP/AVP) or SDES-keyed
// SRTP (RTP/SAVP) on an even/odd UDP port pair, with symmetric RTP latching
// for peers behind NAT: once the peer's RTP arrives, we send where it came
// from rather than to the address its SDP named.

#include <memory>
#include <optional>

#include "media/engine/MediaLeg.h"
#include "media/engine/MediaWorker.h"
#include "media/engine/PortAllocator.h"
#include "media/rtc/SrtpKeys.h"
#include "net/SocketAddress.h"

namespace callgate::media::engine {

struct RtpRemote {
  net::SocketAddress rtp;   // from c= and m=; may be 0.0.0.0 on hold (RFC 2543)
  net::SocketAddress rtcp;  // a=rtcp or port+1; the RTP address with rtcp-mux
  bool rtcpMux = false;
  bool latching = true;
  std::optional<rtc::SrtpKeys> sdes;  // RTP/SAVP: our key as local, theirs as remote
};

class RtpLeg final : public MediaLeg {
 public:
  RtpLeg(MediaWorker& worker, MediaLeg::Listener& listener, MediaCounters& counters,
         UdpPortPair ports);
  ~RtpLeg() override;

  uint16_t localRtpPort() const { return ports_.rtpPort(); }
  uint16_t localRtcpPort() const { return ports_.rtcpPort(); }
  // From each offer or answer; a new address (re-INVITE) starts latching afresh.
  bool setRemote(const RtpRemote& remote, std::string* error);

  bool sendRtp(uint8_t* buffer, size_t length) override;
  bool sendRtcp(uint8_t* buffer, size_t length) override;
  bool ready() const override { return remote_.has_value(); }

  const net::SocketAddress* sendingTo() const;

 private:
  void drain(int fd, bool rtcpSocket);
  void onDatagram(std::span<uint8_t> datagram, const net::SocketAddress& source, bool rtcpSocket);
  bool acceptSource(const net::SocketAddress& source, bool rtcp, uint32_t ssrc);
  bool sendTo(int fd, const net::SocketAddress& to, const uint8_t* data, size_t length);

  // passed in
  MediaWorker& worker_;
  // owned
  UdpPortPair ports_;
  FdWatch rtpWatch_;
  FdWatch rtcpWatch_;
  std::optional<RtpRemote> remote_;
  std::unique_ptr<rtc::SrtpSession> srtp_;
  std::optional<net::SocketAddress> latchedRtp_;
  std::optional<net::SocketAddress> latchedRtcp_;
  uint32_t latchedSsrc_ = 0;
};

}  // namespace callgate::media::engine
