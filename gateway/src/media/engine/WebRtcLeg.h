#pragma once
// The browser side of a call: ICE (libnice) carrying DTLS for the keys and
// SRTP/SRTCP for the media, demultiplexed by first byte (RFC 7983).
// No media passes before DTLS has completed and the fingerprint matched.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "media/engine/GlibContext.h"
#include "media/engine/MediaLeg.h"
#include "media/engine/MediaWorker.h"
#include "media/rtc/DtlsTransport.h"
#include "media/rtc/IceAgent.h"

namespace callgate::media::engine {

struct WebRtcRemote {
  std::string iceUfrag;
  std::string icePassword;
  std::vector<std::string> candidates;  // "candidate:..." values
  std::string fingerprintAlgorithm;
  std::string fingerprint;
  rtc::DtlsRole localRole = rtc::DtlsRole::Client;  // what we are, from a=setup
};

class WebRtcLeg final : public MediaLeg,
                        private rtc::IceAgent::Listener,
                        private rtc::DtlsTransport::Listener {
 public:
  // Local ICE parameters are known once onGathered runs (on the worker).
  WebRtcLeg(MediaWorker& worker, MediaLeg::Listener& listener, MediaCounters& counters,
            const rtc::DtlsIdentity& identity, const rtc::IceSettings& ice, bool controlling,
            std::function<void()> onGathered);
  ~WebRtcLeg() override;

  // How long the DTLS session outlives the handshake (DtlsTransport::
  // releaseSession): long enough for a peer that lost our last flight to
  // retransmit its own several times (1 s, 2 s, ... RFC 6347 §4.2.4.1).
  static constexpr std::chrono::milliseconds kDtlsSessionKeep{5000};

  bool ok() const { return ice_.ok(); }
  const rtc::IceAgent& ice() const { return ice_; }
  // Remote parameters from an offer or answer. New ICE credentials on a
  // re-offer restart ICE (RFC 8445 §9); the same ones change nothing.
  void setRemote(const WebRtcRemote& remote);
  // For an ICE restart we offer: new local credentials now; the answer's new
  // remote credentials then complete it rather than restart again.
  bool restartIce() {
    offeredRestart_ = true;
    return ice_.restart(rtc::IceRestartRole::Offerer);
  }

  bool sendRtp(uint8_t* buffer, size_t length) override;
  bool sendRtcp(uint8_t* buffer, size_t length) override;
  bool ready() const override { return srtp_ != nullptr; }

 private:
  // rtc::IceAgent::Listener
  void onIceGatheringDone(rtc::IceAgent& agent) override;
  void onIceStateChanged(rtc::IceAgent& agent, rtc::IceState state) override;
  void onIcePacket(rtc::IceAgent& agent, std::span<uint8_t> datagram) override;
  bool onIceClaimSocket(rtc::IceAgent& agent, int fd) override;
  void onIceReleaseSocket(rtc::IceAgent& agent, int fd) override;
  // rtc::DtlsTransport::Listener
  void onDtlsSend(rtc::DtlsTransport& transport, std::span<const uint8_t> datagram) override;
  void onDtlsConnected(rtc::DtlsTransport& transport, const rtc::SrtpKeys& keys) override;
  void onDtlsFailed(rtc::DtlsTransport& transport, std::string_view reason) override;
  void onDtlsClosed(rtc::DtlsTransport& transport) override;

  void drainClaimed(int fd);
  void startDtlsIfReady();
  void armDtlsTimer();
  void fail(std::string_view reason);

  // passed in
  MediaWorker& worker_;
  // owned
  // The agent's own GLib context: a wake-up for this leg walks only its sources.
  GlibContext glib_;
  rtc::IceAgent ice_;
  rtc::DtlsTransport dtls_;
  std::unique_ptr<rtc::SrtpSession> srtp_;
  std::function<void()> onGathered_;
  std::optional<WebRtcRemote> remote_;
  WorkerTimer dtlsTimer_;
  bool failed_ = false;
  bool offeredRestart_ = false;
};

}  // namespace callgate::media::engine
