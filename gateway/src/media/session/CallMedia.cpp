#include "media/session/CallMedia.h"

#include <random>

#include "core/EventLoop.h"
#include "core/Log.h"
#include "media/engine/MediaWorker.h"
#include "media/rtc/DtlsIdentity.h"
#include "media/rtc/SdesKeys.h"
#include "media/sdp/SdpParser.h"
#include "media/sdp/SdpWriter.h"
#include "media/session/MediaEngine.h"
#include "media/session/MediaSession.h"

namespace callgate::media::session {
namespace {

constexpr std::string_view kLogTag = "media.call";

using bridge::Side;

Side otherSide(Side side) {
  return side == Side::A ? Side::B : Side::A;
}

bool receives(sdp::Direction d) {
  return d == sdp::Direction::SendRecv || d == sdp::Direction::RecvOnly;
}

bool sends(sdp::Direction d) {
  return d == sdp::Direction::SendRecv || d == sdp::Direction::SendOnly;
}

uint32_t randomSsrc() {
  static thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_int_distribution<uint32_t>(1, 0xFFFFFFFE)(generator);
}

rtc::DtlsRole roleOf(sdp::Setup ours) {
  return ours == sdp::Setup::Passive ? rtc::DtlsRole::Server : rtc::DtlsRole::Client;
}

// The remote half of a leg from what its SDP said; our DTLS role is `ours`.
LegRemote remoteFrom(const RemoteAudio& audio, sdp::Setup ours, bool latching,
                     const std::string& localSdesKey) {
  LegRemote r;
  r.expectMedia = sends(audio.direction);
  r.webrtc.iceUfrag = audio.iceUfrag;
  r.webrtc.icePassword = audio.icePassword;
  r.webrtc.candidates = audio.candidates;
  r.webrtc.fingerprintAlgorithm = audio.fingerprintAlgorithm;
  r.webrtc.fingerprint = audio.fingerprint;
  r.webrtc.localRole = roleOf(ours);
  const auto rtp = net::SocketAddress::fromIp(audio.address, audio.port);
  if (rtp) r.rtp.rtp = *rtp;
  const uint16_t rtcpPort =
      audio.rtcpMux ? audio.port : audio.rtcpPort.value_or(static_cast<uint16_t>(audio.port + 1));
  if (const auto rtcp = net::SocketAddress::fromIp(audio.address, rtcpPort)) r.rtp.rtcp = *rtcp;
  r.rtp.rtcpMux = audio.rtcpMux;
  r.rtp.latching = latching;
  if (audio.savp && !audio.crypto.empty()) {
    if (const auto profile = rtc::sdesSuiteProfile(audio.crypto.front().suite)) {
      r.rtp.sdes = rtc::sdesKeys(*profile, localSdesKey, audio.crypto.front().keyParams);
    }
  }
  return r;
}

}  // namespace

CallMedia::CallMedia(MediaEngine& engine, Listener& listener, uint64_t callId)
    : engine_(engine), listener_(listener), alive_(std::make_shared<bool>(true)) {
  size_t workerIndex = 0;
  worker_ = &engine_.pickWorker(&workerIndex);
  const auto& settings = engine_.settings();
  SessionSettings session;
  for (const auto& i : settings.interfaces)
    session.ice.addresses.push_back({i.address, i.advertised});
  session.ice.portMin = settings.portMin;
  session.ice.portMax = settings.portMax;
  session.ice.servers = settings.servers;
  // Relayed pairs need libnice on their path (TURN framing, its consent).
  session.ice.serveSelectedPair = settings.servers.turnIp.empty();
  session.inactivityTimeoutS = settings.inactivityTimeoutS;
  session.bridge = settings.bridge;
  for (size_t i = 0; i < 2; ++i) {
    auto& local = sides_[i].local;
    local.ssrc = randomSsrc();
    local.cname = "callgate-" + std::to_string(callId);
    local.msidStream = "callgate-" + std::to_string(callId);
    local.msidTrack = i == 0 ? "audio-a" : "audio-b";
    local.sessionId = (static_cast<uint64_t>(randomSsrc()) << 16) | callId;
    local.sessionVersion = 0;
    local.fingerprintAlgorithm = engine_.identity().fingerprintAlgorithm();
    local.fingerprint = engine_.identity().fingerprint();
  }
  // The session is built on its worker (its timers belong to the worker's context).
  auto& counters = engine_.countersOf(workerIndex);
  auto& identity = engine_.identity();
  auto& ports = engine_.ports();
  auto& signalling = engine_.signalling();
  std::weak_ptr<bool> alive = alive_;
  Listener* target = &listener_;
  auto holder = std::make_shared<std::shared_ptr<MediaSession>>();
  auto* worker = worker_;
  worker_->post([holder, worker, &counters, &identity, &ports, &signalling, session,
                 ssrcA = sides_[0].local.ssrc, ssrcB = sides_[1].local.ssrc, alive, target] {
    *holder = std::make_shared<MediaSession>(
        *worker, counters, identity, ports, session, ssrcA, ssrcB,
        [&signalling, alive, target](std::string reason) {
          signalling.post([alive, target, reason = std::move(reason)] {
            if (alive.lock()) target->onMediaEnded(reason);
          });
        });
  });
  sessionHolder_ = holder;
}

CallMedia::~CallMedia() {
  *alive_ = false;
  worker_->post([holder = sessionHolder_] {
    if (*holder) (*holder)->close();
    holder->reset();
  });
}

void CallMedia::configureSide(Side side, SideSettings settings) {
  auto& s = state(side);
  s.settings = std::move(settings);
  if (s.settings.kind) s.profile.kind = *s.settings.kind;
  s.profile.codecs = s.settings.codecs;
  s.profile.sdes = s.settings.sdes;
}

void CallMedia::onWorker(std::function<void(MediaSession&)> task, std::function<void()> then) {
  std::weak_ptr<bool> alive = alive_;
  auto& signalling = engine_.signalling();
  worker_->post([holder = sessionHolder_, task = std::move(task), then = std::move(then), alive,
                 &signalling]() mutable {
    if (!*holder) return;
    task(**holder);
    signalling.post([alive, then = std::move(then)] {
      if (alive.lock()) then();
    });
  });
}

void CallMedia::fail(const Done& done, std::string reason) {
  CG_LOG_INFO(kLogTag) << "SDP refused: " << reason;
  done(std::nullopt, std::move(reason));
}

bool CallMedia::prepareSide(Side side, std::string* error) {
  auto& s = state(side);
  if (!s.settings.kind) {
    *error = "no media kind for the leg";
    return false;
  }
  auto& local = s.local;
  if (s.profile.kind == LegKind::WebRtc) {
    const auto& interfaces = engine_.settings().interfaces;
    local.address = interfaces.empty() ? "127.0.0.1" : interfaces.front().advertised;
    return true;
  }
  const auto i = engine_.interfaceFor(s.settings.interfaceName, s.settings.peerAddress);
  if (!i) {
    *error = "no media interface for " + s.settings.peerAddress;
    return false;
  }
  // Behind a 1:1 NAT the advertised address is not ours to bind.
  local.address = i->advertised;
  s.bindAddress = i->address;
  return true;
}

void CallMedia::offer(Side from, std::string_view text, Done done) {
  const Side to = otherSide(from);
  std::string error;
  auto parsed = sdp::parseSdp(text, &error);
  if (!parsed) return fail(done, "malformed SDP: " + error);
  auto audio = readAudio(*parsed, &error);
  if (!audio) return fail(done, error);
  auto& x = state(from);
  auto& y = state(to);
  if (!x.settings.kind) {
    x.settings.kind = audio->kind;
    x.profile.kind = audio->kind;
    x.profile.sdes = audio->savp;
  } else if (x.profile.kind != audio->kind) {
    return fail(done, "offer changes the media profile of the leg");
  }
  if (!prepareSide(from, &error) || !prepareSide(to, &error)) return fail(done, error);
  x.remote = *audio;
  offerer_ = from;
  pendingOffer_ = std::move(*parsed);

  LegSetup setupX{x.profile.kind, false, x.bindAddress,
                  audio->savp && !audio->crypto.empty() ? audio->crypto.front().suite : ""};
  LegSetup setupY{y.profile.kind, true, y.bindAddress,
                  y.profile.sdes ? "AES_CM_128_HMAC_SHA1_80" : ""};
  const sdp::Setup oursX = x.dtlsSetup.value_or(answerSetup(audio->setup));
  const bool latching = x.settings.latching;
  auto results = std::make_shared<std::array<LocalLeg, 2>>();
  auto failure = std::make_shared<std::string>();
  const RemoteAudio remote = *audio;
  onWorker(
      [from, to, setupX, setupY, remote, oursX, latching, results, failure](MediaSession& s) {
        std::string e;
        if (!s.ensureLeg(from, setupX, &e) || !s.ensureLeg(to, setupY, &e)) {
          *failure = e;
          return;
        }
        const auto key = s.local(from).sdesKeyBase64;
        if (!s.setRemote(from, remoteFrom(remote, oursX, latching, key), &e)) *failure = e;
      },
      [this, from, to, results, failure, done, oursX] {
        if (!failure->empty()) return fail(done, *failure);
        // Candidates are complete only once gathering is done on the worker.
        std::weak_ptr<bool> alive = alive_;
        auto& signalling = engine_.signalling();
        worker_->post([holder = sessionHolder_, results, alive, &signalling, from, to, done, oursX,
                       this] {
          if (!*holder) return;
          auto session = *holder;
          session->whenGathered([session, results, alive, &signalling, from, to, done, oursX,
                                 this] {
            (*results)[0] = session->local(Side::A);
            (*results)[1] = session->local(Side::B);
            signalling.post([alive, results, from, to, done, oursX, this] {
              if (!alive.lock()) return;
              auto& xs = state(from);
              auto& ys = state(to);
              for (Side side : {Side::A, Side::B}) {
                const auto& r = (*results)[side == Side::A ? 0 : 1];
                auto& l = state(side).local;
                l.iceUfrag = r.iceUfrag;
                l.icePassword = r.icePassword;
                l.candidates = r.candidates;
                if (r.rtpPort) l.rtpPort = r.rtpPort;
                if (r.rtcpPort) l.rtcpPort = r.rtcpPort;
                l.sdesKeyBase64 = r.sdesKeyBase64;
                l.sdesSuite = "AES_CM_128_HMAC_SHA1_80";
              }
              xs.dtlsSetup = oursX;
              const sdp::Setup setupToY = ys.dtlsSetup.value_or(sdp::Setup::ActPass);
              ys.local.sessionVersion++;
              const auto offerY = makeOffer(ys.profile, codecsOf(*xs.remote), ys.local,
                                            xs.remote->direction, setupToY);
              ys.lastAnswerIn.clear();
              auto offerText = sdp::writeSdp(offerY);
              CG_LOG_DEBUG(kLogTag) << "offer toward side " << (to == Side::A ? "A" : "B") << ":\n"
                                    << offerText;
              done(std::move(offerText), {});
            });
          });
        });
      });
}

void CallMedia::answer(Side from, std::string_view text, Done done) {
  if (!offerer_ || *offerer_ == from) return fail(done, "an answer without an offer");
  const Side to = *offerer_;
  auto& y = state(from);
  auto& x = state(to);
  if (!y.lastAnswerIn.empty() && y.lastAnswerIn == text && !x.lastAnswerOut.empty()) {
    done(x.lastAnswerOut, {});  // 183 and then 200 with the same SDP
    return;
  }
  std::string error;
  auto parsed = sdp::parseSdp(text, &error);
  if (!parsed) return fail(done, "malformed SDP: " + error);
  auto audio = readAudio(*parsed, &error);
  if (!audio) return fail(done, error);
  if (audio->kind != y.profile.kind) return fail(done, "answer in another media profile");
  const CodecChoice codecY = audio->codecs.front();
  const auto codecX = chooseAnswerCodec(*x.remote, x.profile.codecs, codecY.codec);
  if (!codecX) return fail(done, "no codec allowed toward the offerer");
  y.remote = *audio;
  // The answerer's a=setup decides the DTLS roles (RFC 5763 §5).
  const sdp::Setup oursY = y.dtlsSetup.value_or(
      audio->setup == sdp::Setup::Active ? sdp::Setup::Passive : sdp::Setup::Active);
  y.dtlsSetup = oursY;
  const auto formatX = streamFormat(*codecX, *x.remote);
  const auto formatY = streamFormat(codecY, *audio);
  const bool sendToX = receives(x.remote->direction);
  const bool sendToY = receives(audio->direction);
  transcoding_ = !bridge::sameCodec(formatX, formatY);
  const bool latching = y.settings.latching;
  auto failure = std::make_shared<std::string>();
  auto localX = std::make_shared<LocalLeg>();
  const RemoteAudio remote = *audio;
  onWorker(
      [from, to, remote, oursY, latching, formatX, formatY, sendToX, sendToY, failure,
       localX](MediaSession& s) {
        std::string e;
        const auto key = s.local(from).sdesKeyBase64;
        if (!s.setRemote(from, remoteFrom(remote, oursY, latching, key), &e)) {
          *failure = e;
          return;
        }
        const bool aIsX = to == Side::A;
        if (!s.configureBridge(aIsX ? formatX : formatY, aIsX ? sendToX : sendToY,
                               aIsX ? formatY : formatX, aIsX ? sendToY : sendToX, &e)) {
          *failure = e;
          return;
        }
        *localX = s.local(to);
      },
      [this, from, to, done, failure, localX, codecX = *codecX, text = std::string(text)] {
        if (!failure->empty()) return fail(done, *failure);
        auto& xs = state(to);
        auto& ys = state(from);
        xs.local.iceUfrag = localX->iceUfrag;
        xs.local.icePassword = localX->icePassword;
        xs.local.candidates = localX->candidates;
        xs.local.sessionVersion++;
        const auto direction = answerDirection(xs.remote->direction, ys.remote->direction);
        const auto answerX = makeAnswer(pendingOffer_, *xs.remote, codecX, xs.local, direction,
                                        xs.dtlsSetup.value_or(answerSetup(xs.remote->setup)));
        ys.lastAnswerIn = text;
        xs.lastAnswerOut = sdp::writeSdp(answerX);
        CG_LOG_INFO(kLogTag) << "media " << (transcoding_ ? "transcoded" : "relayed") << ": "
                             << bridge::audioCodecName(codecX.codec) << " ⇄ "
                             << bridge::audioCodecName(ys.remote->codecs.front().codec);
        CG_LOG_DEBUG(kLogTag) << "answer toward side " << (to == Side::A ? "A" : "B") << ":\n"
                              << xs.lastAnswerOut;
        done(xs.lastAnswerOut, {});
      });
}

void CallMedia::sendDtmf(Side to, char digit, int durationMs) {
  worker_->post([holder = sessionHolder_, to, digit, durationMs] {
    if (*holder) (*holder)->sendDtmf(to, digit, durationMs);
  });
}

}  // namespace callgate::media::session
