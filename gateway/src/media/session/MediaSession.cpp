#include "media/session/MediaSession.h"

#include <glib.h>

#include "core/Log.h"
#include "media/engine/MediaCounters.h"
#include "media/engine/PortAllocator.h"
#include "media/rtc/SdesKeys.h"

namespace callgate::media::session {
namespace {

constexpr std::string_view kLogTag = "media.session";
// Once a second: the inactivity check and publishing the bridge's counts.
constexpr uint64_t kTicksPerSecond = 1000 / engine::kWorkerTick.count();

size_t index(Side side) {
  return side == Side::A ? 0 : 1;
}

}  // namespace

MediaSession::MediaSession(engine::MediaWorker& worker, engine::MediaCounters& counters,
                           const rtc::DtlsIdentity& identity, engine::PortAllocator& ports,
                           SessionSettings settings, uint32_t ssrcA, uint32_t ssrcB,
                           std::function<void(std::string)> onEnded)
    : worker_(worker),
      counters_(counters),
      identity_(identity),
      ports_(ports),
      settings_(std::move(settings)),
      onEnded_(std::move(onEnded)) {
  bridge_ = bridge::MediaBridge::create(sinkA_, sinkB_, ssrcA, ssrcB, settings_.bridge);
  counters_.inc(engine::MediaCounter::SessionsCreated);
  worker_.addTickListener(*this);
  ticking_ = true;
}

MediaSession::~MediaSession() {
  close();
}

void MediaSession::close() {
  if (!bridge_ && !webrtc_[0] && !webrtc_[1] && !rtp_[0] && !rtp_[1]) return;
  if (ticking_) worker_.removeTickListener(*this);
  ticking_ = false;
  publishBridgeStats();
  bridge_.reset();
  for (auto& l : webrtc_) l.reset();
  for (auto& l : rtp_) l.reset();
  gatheredWaiters_.clear();
  counters_.inc(engine::MediaCounter::SessionsClosed);
}

engine::MediaLeg* MediaSession::leg(Side side) const {
  const size_t i = index(side);
  if (webrtc_[i]) return webrtc_[i].get();
  return rtp_[i].get();
}

Side MediaSession::sideOf(const engine::MediaLeg& l) const {
  return leg(Side::A) == &l ? Side::A : Side::B;
}

bool MediaSession::ensureLeg(Side side, const LegSetup& setup, std::string* error) {
  const size_t i = index(side);
  if (leg(side)) return true;
  if (setup.kind == LegKind::WebRtc) {
    auto l = std::make_unique<engine::WebRtcLeg>(
        worker_, *this, counters_, identity_, settings_.ice, setup.controlling, [this] {
          // Waiters may add more waiters; run the ones present now.
          for (auto& waiter : std::exchange(gatheredWaiters_, {})) waiter();
        });
    if (!l->ok()) {
      if (error) *error = "ICE agent: " + l->ice().error();
      return false;
    }
    webrtc_[i] = std::move(l);
    return true;
  }
  auto pair = ports_.allocate(setup.address, error);
  if (!pair) return false;
  rtp_[i] = std::make_unique<engine::RtpLeg>(worker_, *this, counters_, std::move(*pair));
  if (!setup.sdesSuite.empty()) {
    const auto profile = rtc::sdesSuiteProfile(setup.sdesSuite);
    if (!profile) {
      if (error) *error = "unsupported SRTP suite " + setup.sdesSuite;
      return false;
    }
    sdesKeys_[i] = rtc::generateSdesKey(*profile);
  }
  return true;
}

void MediaSession::whenGathered(std::function<void()> done) {
  for (const auto& l : webrtc_) {
    if (l && !l->ice().gatheringDone()) {
      gatheredWaiters_.push_back(
          [this, done = std::move(done)]() mutable { whenGathered(std::move(done)); });
      return;
    }
  }
  done();
}

LocalLeg MediaSession::local(Side side) const {
  LocalLeg out;
  const size_t i = index(side);
  if (const auto& w = webrtc_[i]) {
    out.iceUfrag = w->ice().localUfrag();
    out.icePassword = w->ice().localPassword();
    out.candidates = w->ice().localCandidates();
  } else if (const auto& r = rtp_[i]) {
    out.rtpPort = r->localRtpPort();
    out.rtcpPort = r->localRtcpPort();
    out.sdesKeyBase64 = sdesKeys_[i];
  }
  return out;
}

bool MediaSession::setRemote(Side side, const LegRemote& remote, std::string* error) {
  const size_t i = index(side);
  expectMedia_[i] = remote.expectMedia;
  watchedSinceUs_[i] = g_get_monotonic_time();
  if (auto& w = webrtc_[i]) {
    w->setRemote(remote.webrtc);
    return true;
  }
  if (auto& r = rtp_[i]) return r->setRemote(remote.rtp, error);
  if (error) *error = "no leg on that side";
  return false;
}

bool MediaSession::configureBridge(const bridge::StreamFormat& formatA, bool sendToA,
                                   const bridge::StreamFormat& formatB, bool sendToB,
                                   std::string* error) {
  if (!bridge_) {
    if (error) *error = "session closed";
    return false;
  }
  return bridge_->configure(formatA, sendToA, formatB, sendToB, error);
}

bool MediaSession::sendDtmf(Side to, char digit, int durationMs) {
  return bridge_ && bridge_->sendDtmf(to, digit, durationMs);
}

bridge::BridgeStats MediaSession::bridgeStats() const {
  return bridge_ ? bridge_->stats() : bridge::BridgeStats{};
}

void MediaSession::onLegRtp(engine::MediaLeg& l, std::span<uint8_t> packet) {
  if (bridge_) bridge_->onRtp(sideOf(l), packet, l.lastReceivedUs());
}

void MediaSession::onLegRtcp(engine::MediaLeg& l, std::span<uint8_t> packet) {
  if (bridge_) bridge_->onRtcp(sideOf(l), packet, l.lastReceivedUs());
}

void MediaSession::onWorkerTick(int64_t nowUs) {
  if (!bridge_) return;
  bridge_->onTick(nowUs);
  if (++ticks_ % kTicksPerSecond != 0) return;
  // The bridge counts per call; the worker's counters hear of it once a second.
  publishBridgeStats();
  if (settings_.inactivityTimeoutS > 0 && !ended_) checkActivity(nowUs);
}

void MediaSession::onLegReady(engine::MediaLeg&) {}

void MediaSession::onLegFailed(engine::MediaLeg& l, std::string_view reason) {
  end(std::string(sideOf(l) == Side::A ? "caller" : "callee") +
      " media failed: " + std::string(reason));
}

void MediaSession::publishBridgeStats() {
  if (!bridge_) return;
  const auto now = bridge_->stats();
  counters_.inc(engine::MediaCounter::RelayedPackets, now.relayed - published_.relayed);
  counters_.inc(engine::MediaCounter::TranscodedFrames,
                now.transcodedFrames - published_.transcodedFrames);
  counters_.inc(engine::MediaCounter::ConcealedFrames,
                now.concealedFrames - published_.concealedFrames);
  counters_.inc(engine::MediaCounter::UnexpectedDropped,
                now.droppedWrongPayloadType - published_.droppedWrongPayloadType);
  published_ = now;
}

bool MediaSession::checkActivity(int64_t now) {
  const int64_t limit = int64_t{settings_.inactivityTimeoutS} * 1000000;
  for (Side side : {Side::A, Side::B}) {
    const size_t i = index(side);
    const auto* l = leg(side);
    if (!l || !expectMedia_[i]) continue;
    const int64_t since = std::max(l->lastReceivedUs(), watchedSinceUs_[i]);
    if (now - since > limit) {
      counters_.inc(engine::MediaCounter::InactivityTimeouts);
      end(std::string("no media from the ") + (side == Side::A ? "caller" : "callee") + " for " +
          std::to_string(settings_.inactivityTimeoutS) + " s");
      return false;
    }
  }
  return true;
}

void MediaSession::end(std::string reason) {
  if (ended_) return;
  ended_ = true;
  CG_LOG_INFO(kLogTag) << reason;
  if (onEnded_) onEnded_(std::move(reason));
}

bool MediaSession::LegSink::sendRtp(uint8_t* buffer, size_t length) {
  auto* l = session_.leg(side_);
  return l && l->ready() && l->sendRtp(buffer, length);
}

bool MediaSession::LegSink::sendRtcp(uint8_t* buffer, size_t length) {
  auto* l = session_.leg(side_);
  return l && l->ready() && l->sendRtcp(buffer, length);
}

}  // namespace callgate::media::session
