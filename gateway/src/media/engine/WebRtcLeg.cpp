#include "media/engine/WebRtcLeg.h"

#include <glib.h>

#include <utility>

#include "media/engine/DatagramBatch.h"
#include "media/engine/MediaCounters.h"
#include "media/rtp/Demux.h"

namespace callgate::media::engine {

WebRtcLeg::WebRtcLeg(MediaWorker& worker, MediaLeg::Listener& listener, MediaCounters& counters,
                     const rtc::DtlsIdentity& identity, const rtc::IceSettings& ice,
                     bool controlling, std::function<void()> onGathered)
    : MediaLeg(listener, counters),
      worker_(worker),
      glib_(worker),
      ice_(glib_.get(), *this, ice, controlling),
      dtls_(identity, *this),
      onGathered_(std::move(onGathered)) {
  if (ice_.ok()) ice_.gather();
}

WebRtcLeg::~WebRtcLeg() {
  dtlsTimer_.cancel();
  // While the agent's sockets are still open.
  glib_.releaseAll();
}

void WebRtcLeg::setRemote(const WebRtcRemote& remote) {
  const bool restart = remote_ && (remote_->iceUfrag != remote.iceUfrag ||
                                   remote_->icePassword != remote.icePassword);
  const bool first = !remote_;
  // New credentials in the answer to our own restart offer are not a restart.
  const bool answersOurRestart = std::exchange(offeredRestart_, false);
  if (restart && !answersOurRestart) ice_.restart();
  remote_ = remote;
  if (first || restart) ice_.setRemote(remote.iceUfrag, remote.icePassword, remote.candidates);
  if (first) {
    if (!dtls_.setRemoteFingerprint(remote.fingerprintAlgorithm, remote.fingerprint)) {
      fail("unsupported fingerprint algorithm " + remote.fingerprintAlgorithm);
      return;
    }
    // A DTLS server listens from the start: the browser's ClientHello may
    // arrive before our side of ICE reports the pair as connected.
    if (remote.localRole == rtc::DtlsRole::Server) dtls_.start(rtc::DtlsRole::Server);
    startDtlsIfReady();
  }
}

void WebRtcLeg::startDtlsIfReady() {
  if (!remote_ || dtls_.state() != rtc::DtlsTransport::State::New) return;
  if (ice_.state() != rtc::IceState::Connected) return;
  dtls_.start(remote_->localRole);
  armDtlsTimer();
}

void WebRtcLeg::armDtlsTimer() {
  // Once connected the timer waits to release the session (onDtlsConnected).
  if (dtls_.state() == rtc::DtlsTransport::State::Connected) return;
  const auto wait = dtls_.timeout();
  if (!wait) {
    dtlsTimer_.cancel();
    return;
  }
  dtlsTimer_.start(worker_, std::max(*wait, std::chrono::milliseconds(1)), [this] {
    dtls_.onTimeout();
    armDtlsTimer();
    return false;
  });
}

void WebRtcLeg::onIceGatheringDone(rtc::IceAgent&) {
  if (onGathered_) {
    auto callback = std::move(onGathered_);
    onGathered_ = nullptr;
    callback();
  }
}

void WebRtcLeg::onIceStateChanged(rtc::IceAgent&, rtc::IceState state) {
  if (state == rtc::IceState::Connected) {
    startDtlsIfReady();
  } else if (state == rtc::IceState::Failed) {
    counters_.inc(MediaCounter::IceFailed);
    fail("ICE failed or consent expired");
  }
}

void WebRtcLeg::onIcePacket(rtc::IceAgent&, std::span<uint8_t> datagram) {
  counters_.inc(MediaCounter::BytesReceived, datagram.size());
  const auto kind = rtp::classify(datagram);
  switch (kind) {
    case rtp::PacketKind::Dtls:
      if (!dtls_.onPacket(datagram)) {
        counters_.inc(MediaCounter::UnexpectedDropped);
        return;
      }
      armDtlsTimer();
      return;
    case rtp::PacketKind::Rtp:
    case rtp::PacketKind::Rtcp:
      // No media before DTLS has agreed the keys (RFC 5763 §5).
      if (!srtp_) {
        counters_.inc(MediaCounter::UnexpectedDropped);
        return;
      }
      deliver(srtp_.get(), datagram, kind == rtp::PacketKind::Rtcp);
      return;
    case rtp::PacketKind::Stun:
    case rtp::PacketKind::Unknown:
      counters_.inc(MediaCounter::MalformedDropped);
      return;
  }
}

bool WebRtcLeg::onIceClaimSocket(rtc::IceAgent&, int fd) {
  if (!glib_.claim(fd, [this, fd](uint32_t) { drainClaimed(fd); })) return false;
  counters_.inc(MediaCounter::IcePairsServed);
  return true;
}

void WebRtcLeg::onIceReleaseSocket(rtc::IceAgent&, int fd) {
  glib_.release(fd);
}

void WebRtcLeg::drainClaimed(int fd) {
  worker_.receiveBatch().drain(
      fd, [&](std::span<uint8_t> datagram, const net::SocketAddress& from, bool truncated) {
        // The claim may end while the batch is handed out (ICE failed).
        if (!glib_.claimed(fd)) return;
        if (truncated) {
          counters_.inc(MediaCounter::BytesReceived, datagram.size());
          counters_.inc(MediaCounter::MalformedDropped);
          return;
        }
        switch (ice_.receiveDirect(datagram, from)) {
          case rtc::IceDirectPath::Verdict::Rejected:
            counters_.inc(MediaCounter::StunRejected);
            break;
          case rtc::IceDirectPath::Verdict::ConsentRefreshed:
            counters_.inc(MediaCounter::IceConsentRefreshed);
            break;
          case rtc::IceDirectPath::Verdict::Media:
          case rtc::IceDirectPath::Verdict::Handled:
            break;
        }
      });
}

void WebRtcLeg::onDtlsSend(rtc::DtlsTransport&, std::span<const uint8_t> datagram) {
  // Before ICE has a pair the flight is lost; the DTLS timer resends it.
  ice_.send(datagram);
}

void WebRtcLeg::onDtlsConnected(rtc::DtlsTransport&, const rtc::SrtpKeys& keys) {
  // The peer may still miss our last flight and send its own again, which
  // the session must answer; after kDtlsSessionKeep nobody retransmits
  // (a browser that never finished sends no media and inactivity ends the
  // call), and the session's memory goes.
  dtlsTimer_.start(worker_, kDtlsSessionKeep, [this] {
    dtls_.releaseSession();
    return false;
  });
  std::string error;
  srtp_ = rtc::SrtpSession::create(keys, &error);
  if (!srtp_) {
    fail("SRTP: " + error);
    return;
  }
  listener_.onLegReady(*this);
}

void WebRtcLeg::onDtlsFailed(rtc::DtlsTransport&, std::string_view reason) {
  counters_.inc(MediaCounter::DtlsFailed);
  fail(reason);
}

void WebRtcLeg::onDtlsClosed(rtc::DtlsTransport&) {
  // The browser closed its peer connection; its BYE (if any) ends the call.
}

bool WebRtcLeg::sendRtp(uint8_t* buffer, size_t length) {
  if (!srtp_) return false;
  if (srtp_->protectRtp(buffer, length, kPacketCapacity) != rtc::SrtpResult::Ok ||
      !ice_.send({buffer, length})) {
    counters_.inc(MediaCounter::SendFailed);
    return false;
  }
  counters_.inc(MediaCounter::RtpSent);
  counters_.inc(MediaCounter::BytesSent, length);
  return true;
}

bool WebRtcLeg::sendRtcp(uint8_t* buffer, size_t length) {
  if (!srtp_) return false;
  if (srtp_->protectRtcp(buffer, length, kPacketCapacity) != rtc::SrtpResult::Ok ||
      !ice_.send({buffer, length})) {
    counters_.inc(MediaCounter::SendFailed);
    return false;
  }
  counters_.inc(MediaCounter::RtcpSent);
  counters_.inc(MediaCounter::BytesSent, length);
  return true;
}

void WebRtcLeg::fail(std::string_view reason) {
  if (failed_) return;
  failed_ = true;
  listener_.onLegFailed(*this, reason);
}

}  // namespace callgate::media::engine
