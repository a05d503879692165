#pragma once
// One call's media on its worker: two legs (WebRTC or RTP) and the bridge
// between them, a 20 ms tick for the bridge and a once-a-second check for
// legs that went silent. Every method runs on the worker thread; the
// signalling side talks to it through CallMedia.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "media/bridge/MediaBridge.h"
#include "media/engine/MediaLeg.h"
#include "media/engine/MediaWorker.h"
#include "media/engine/RtpLeg.h"
#include "media/engine/WebRtcLeg.h"
#include "media/session/SdpNegotiator.h"

namespace callgate::media::engine {
class MediaCounters;
class PortAllocator;
}  // namespace callgate::media::engine

namespace callgate::media::session {

using bridge::Side;

// What a worker needs to build legs, fixed for the session's life.
struct SessionSettings {
  rtc::IceSettings ice;
  uint32_t inactivityTimeoutS = 30;
  bridge::BridgeSettings bridge;
};

struct LegSetup {
  LegKind kind = LegKind::Rtp;
  bool controlling = false;  // WebRTC: we offered first (RFC 8445 §6.1.1)
  std::string address;       // RTP: the media interface address to bind
  std::string sdesSuite;     // RTP/SAVP: the suite of our key; "" = plain RTP
};

struct LegRemote {
  engine::WebRtcRemote webrtc;
  engine::RtpRemote rtp;
  // The peer is expected to send (its direction is sendrecv or sendonly):
  // only then does silence count toward the inactivity timeout.
  bool expectMedia = true;
};

// Our side of a leg, for the SDP the signalling thread writes.
struct LocalLeg {
  std::string iceUfrag, icePassword;
  std::vector<std::string> candidates;
  uint16_t rtpPort = 0;
  uint16_t rtcpPort = 0;
  std::string sdesKeyBase64;
  bool operator==(const LocalLeg&) const = default;
};

class MediaSession final : public engine::MediaLeg::Listener, private engine::TickListener {
 public:
  // `onEnded` runs on the worker when media fails or goes silent; it must
  // only post (the session is not to be destroyed from inside it).
  MediaSession(engine::MediaWorker& worker, engine::MediaCounters& counters,
               const rtc::DtlsIdentity& identity, engine::PortAllocator& ports,
               SessionSettings settings, uint32_t ssrcA, uint32_t ssrcB,
               std::function<void(std::string)> onEnded);
  ~MediaSession() override;

  bool ensureLeg(Side side, const LegSetup& setup, std::string* error);
  bool hasLeg(Side side) const { return leg(side) != nullptr; }
  // Runs `done` once every WebRTC leg has its candidates (at once if so already).
  void whenGathered(std::function<void()> done);
  LocalLeg local(Side side) const;
  bool setRemote(Side side, const LegRemote& remote, std::string* error);
  bool configureBridge(const bridge::StreamFormat& formatA, bool sendToA,
                       const bridge::StreamFormat& formatB, bool sendToB, std::string* error);
  bool sendDtmf(Side to, char digit, int durationMs);
  // Releases sockets, agents and timers; the session stays as an empty shell.
  void close();
  bridge::BridgeStats bridgeStats() const;

 private:
  // engine::MediaLeg::Listener
  void onLegRtp(engine::MediaLeg& leg, std::span<uint8_t> packet) override;
  void onLegRtcp(engine::MediaLeg& leg, std::span<uint8_t> packet) override;
  void onLegReady(engine::MediaLeg& leg) override;
  void onLegFailed(engine::MediaLeg& leg, std::string_view reason) override;
  // engine::TickListener
  void onWorkerTick(int64_t nowUs) override;

  engine::MediaLeg* leg(Side side) const;
  Side sideOf(const engine::MediaLeg& leg) const;
  bool checkActivity(int64_t nowUs);
  void publishBridgeStats();
  void end(std::string reason);

  // A bridge sink that sends through whatever leg a side has now.
  class LegSink final : public bridge::PacketSink {
   public:
    LegSink(MediaSession& session, Side side) : session_(session), side_(side) {}
    bool sendRtp(uint8_t* buffer, size_t length) override;
    bool sendRtcp(uint8_t* buffer, size_t length) override;

   private:
    MediaSession& session_;
    Side side_;
  };

  // passed in
  engine::MediaWorker& worker_;
  engine::MediaCounters& counters_;
  const rtc::DtlsIdentity& identity_;
  engine::PortAllocator& ports_;
  // owned
  SessionSettings settings_;
  std::function<void(std::string)> onEnded_;
  std::array<std::unique_ptr<engine::WebRtcLeg>, 2> webrtc_;
  std::array<std::unique_ptr<engine::RtpLeg>, 2> rtp_;
  std::array<std::string, 2> sdesKeys_;  // base64 key||salt we send with, per side
  std::array<bool, 2> expectMedia_{false, false};
  std::array<int64_t, 2> watchedSinceUs_{0, 0};
  LegSink sinkA_{*this, Side::A};
  LegSink sinkB_{*this, Side::B};
  std::unique_ptr<bridge::MediaBridge> bridge_;
  std::vector<std::function<void()>> gatheredWaiters_;
  bool ticking_ = false;
  bool ended_ = false;
  uint64_t ticks_ = 0;
  bridge::BridgeStats published_;  // what the worker counters already hold
};

}  // namespace callgate::media::session
