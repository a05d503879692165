#pragma once
// A call's anchored media, as its b2bua::Call sees it on the signalling
// thread. Offers and answers from either side go in as SDP text; what to
// send the other side comes back through a callback once the call's media
// worker has its ports, ICE candidates and keys ready. Side A is the
// caller's leg, side B the callee's. Destroying the CallMedia releases the
// media on its worker; no callback runs after that.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "media/bridge/MediaBridge.h"
#include "media/sdp/SessionDescription.h"
#include "media/session/SdpNegotiator.h"

namespace callgate::media::engine {
class MediaWorker;
class MediaCounters;
}  // namespace callgate::media::engine

namespace callgate::media::session {

class MediaEngine;
class MediaSession;

class CallMedia {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Media failed (ICE, DTLS) or a leg went silent: the call should end.
    virtual void onMediaEnded(std::string_view reason) = 0;
  };
  // SDP for the other side, or nullopt and a reason fit for a 488.
  using Done = std::function<void(std::optional<std::string> sdp, std::string error)>;

  // How a side is reached; side A's kind is taken from its first offer when
  // not set. `interfaceName` and `peerAddress` choose the media interface of
  // an RTP leg.
  struct SideSettings {
    std::optional<LegKind> kind;
    std::vector<bridge::AudioCodec> codecs = allAudioCodecs();
    bool sdes = false;
    bool latching = true;
    std::string interfaceName;
    std::string peerAddress;
  };

  CallMedia(MediaEngine& engine, Listener& listener, uint64_t callId);
  ~CallMedia();
  CallMedia(const CallMedia&) = delete;
  CallMedia& operator=(const CallMedia&) = delete;

  void configureSide(bridge::Side side, SideSettings settings);
  // An offer from `from`; `done` gets the offer for the other side.
  void offer(bridge::Side from, std::string_view sdp, Done done);
  // The answer from `from` to the offer we sent it; `done` gets the answer
  // for the side whose offer started the exchange.
  void answer(bridge::Side from, std::string_view sdp, Done done);
  // RFC 4733 DTMF toward a side (from SIP INFO on the other).
  void sendDtmf(bridge::Side to, char digit, int durationMs);

  bool transcoding() const { return transcoding_; }
  // An RTP side's socket address (not what the SDP advertises); "" before
  // the first offer and for WebRTC sides.
  const std::string& bindAddress(bridge::Side side) { return state(side).bindAddress; }

 private:
  struct SideState {
    SideSettings settings;
    LegProfile profile;
    LocalTransport local;     // address: what the SDP advertises
    std::string bindAddress;  // RTP legs: the interface address the sockets bind to
    std::optional<RemoteAudio> remote;
    std::optional<sdp::Setup> dtlsSetup;  // our a=setup once agreed
    std::string lastAnswerIn;
    std::string lastAnswerOut;
  };

  SideState& state(bridge::Side side) { return sides_[side == bridge::Side::A ? 0 : 1]; }
  // Runs `task` on the worker; `then` back on the signalling thread, unless
  // this CallMedia is gone by then.
  void onWorker(std::function<void(MediaSession&)> task, std::function<void()> then);
  bool prepareSide(bridge::Side side, std::string* error);
  void fail(const Done& done, std::string reason);

  // passed in
  MediaEngine& engine_;
  Listener& listener_;
  // owned
  engine::MediaWorker* worker_ = nullptr;
  // Built and released on the worker; shared with the tasks posted there.
  std::shared_ptr<std::shared_ptr<MediaSession>> sessionHolder_;
  std::shared_ptr<bool> alive_;
  std::array<SideState, 2> sides_;
  std::optional<bridge::Side> offerer_;
  sdp::SessionDescription pendingOffer_;
  bool transcoding_ = false;
};

}  // namespace callgate::media::session
