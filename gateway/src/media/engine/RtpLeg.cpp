#include "media/engine/RtpLeg.h"

#include <glib.h>
#include <sys/socket.h>

#include "media/engine/DatagramBatch.h"
#include "media/engine/MediaCounters.h"
#include "media/rtp/Demux.h"
#include "media/rtp/RtpPacket.h"

namespace callgate::media::engine {
namespace {

uint32_t rtcpSenderSsrc(std::span<const uint8_t> packet) {
  if (packet.size() < 8) return 0;
  return (uint32_t{packet[4]} << 24) | (uint32_t{packet[5]} << 16) | (uint32_t{packet[6]} << 8) |
         packet[7];
}

}  // namespace

RtpLeg::RtpLeg(MediaWorker& worker, MediaLeg::Listener& listener, MediaCounters& counters,
               UdpPortPair ports)
    : MediaLeg(listener, counters), worker_(worker), ports_(std::move(ports)) {
  // epoll refuses a descriptor only when out of memory or watches; the leg
  // then hears nothing and the inactivity check ends the call.
  rtpWatch_.start(worker, ports_.rtpFd(), [this](uint32_t) { drain(ports_.rtpFd(), false); });
  rtcpWatch_.start(worker, ports_.rtcpFd(), [this](uint32_t) { drain(ports_.rtcpFd(), true); });
}

RtpLeg::~RtpLeg() {
  rtpWatch_.cancel();
  rtcpWatch_.cancel();
}

bool RtpLeg::setRemote(const RtpRemote& remote, std::string* error) {
  const bool moved = !remote_ || !(remote_->rtp == remote.rtp);
  if (remote.sdes && (!remote_ || !remote_->sdes || remote_->sdes->remote != remote.sdes->remote ||
                      remote_->sdes->local != remote.sdes->local)) {
    auto session = rtc::SrtpSession::create(*remote.sdes, error);
    if (!session) return false;
    srtp_ = std::move(session);
  } else if (!remote.sdes) {
    srtp_.reset();
  }
  remote_ = remote;
  if (moved) {
    // A re-INVITE to a new address: listen for where its media comes from again.
    latchedRtp_.reset();
    latchedRtcp_.reset();
  }
  listener_.onLegReady(*this);
  return true;
}

const net::SocketAddress* RtpLeg::sendingTo() const {
  if (latchedRtp_) return &*latchedRtp_;
  return remote_ ? &remote_->rtp : nullptr;
}

void RtpLeg::drain(int fd, bool rtcpSocket) {
  worker_.receiveBatch().drain(
      fd, [&](std::span<uint8_t> datagram, const net::SocketAddress& source, bool truncated) {
        counters_.inc(MediaCounter::BytesReceived, datagram.size());
        if (truncated) {
          counters_.inc(MediaCounter::MalformedDropped);
          return;
        }
        onDatagram(datagram, source, rtcpSocket);
      });
}

bool RtpLeg::acceptSource(const net::SocketAddress& source, bool rtcp, uint32_t ssrc) {
  if (!remote_) return false;
  auto& latched = rtcp ? latchedRtcp_ : latchedRtp_;
  if (!remote_->latching) {
    const auto& expected = rtcp ? remote_->rtcp : remote_->rtp;
    return source == expected;
  }
  if (!latched) {
    latched = source;
    if (!rtcp) latchedSsrc_ = ssrc;
    return true;
  }
  if (*latched == source) return true;
  // The same stream from a new address: the peer's NAT mapping changed.
  if (!rtcp && ssrc == latchedSsrc_) {
    latched = source;
    return true;
  }
  return false;
}

void RtpLeg::onDatagram(std::span<uint8_t> datagram, const net::SocketAddress& source,
                        bool rtcpSocket) {
  const auto kind = rtp::classify(datagram);
  if (kind == rtp::PacketKind::Rtp && !rtcpSocket) {
    auto packet = rtp::RtpPacket::parse(datagram);
    if (!packet) {
      counters_.inc(MediaCounter::MalformedDropped);
      return;
    }
    if (!acceptSource(source, false, packet->ssrc())) {
      counters_.inc(MediaCounter::UnexpectedDropped);
      return;
    }
    deliver(srtp_.get(), datagram, false);
    return;
  }
  if (kind == rtp::PacketKind::Rtcp && (rtcpSocket || (remote_ && remote_->rtcpMux))) {
    if (!acceptSource(source, true, rtcpSenderSsrc(datagram))) {
      counters_.inc(MediaCounter::UnexpectedDropped);
      return;
    }
    deliver(srtp_.get(), datagram, true);
    return;
  }
  counters_.inc(MediaCounter::MalformedDropped);
}

bool RtpLeg::sendTo(int fd, const net::SocketAddress& to, const uint8_t* data, size_t length) {
  if (!to.valid() || to.isAny() || to.port() == 0) return false;  // on hold (c=0.0.0.0)
  const auto sent = sendto(fd, data, length, 0, to.sockaddrPtr(), to.length());
  if (sent != static_cast<ssize_t>(length)) {
    counters_.inc(MediaCounter::SendFailed);
    return false;
  }
  counters_.inc(MediaCounter::BytesSent, length);
  return true;
}

bool RtpLeg::sendRtp(uint8_t* buffer, size_t length) {
  if (!remote_) return false;
  if (srtp_ && srtp_->protectRtp(buffer, length, kPacketCapacity) != rtc::SrtpResult::Ok) {
    counters_.inc(MediaCounter::SendFailed);
    return false;
  }
  const auto& to = latchedRtp_ ? *latchedRtp_ : remote_->rtp;
  if (!sendTo(ports_.rtpFd(), to, buffer, length)) return false;
  counters_.inc(MediaCounter::RtpSent);
  return true;
}

bool RtpLeg::sendRtcp(uint8_t* buffer, size_t length) {
  if (!remote_) return false;
  if (srtp_ && srtp_->protectRtcp(buffer, length, kPacketCapacity) != rtc::SrtpResult::Ok) {
    counters_.inc(MediaCounter::SendFailed);
    return false;
  }
  const bool mux = remote_->rtcpMux;
  const auto& to = mux ? (latchedRtp_ ? *latchedRtp_ : remote_->rtp)
                       : (latchedRtcp_ ? *latchedRtcp_ : remote_->rtcp);
  if (!sendTo(mux ? ports_.rtpFd() : ports_.rtcpFd(), to, buffer, length)) return false;
  counters_.inc(MediaCounter::RtcpSent);
  return true;
}

}  // namespace callgate::media::engine
