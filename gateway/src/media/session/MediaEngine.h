#pragma once
// The media plane as the signalling thread sees it: the worker threads, the
// DTLS identity, the RTP port range and the media interfaces; it places each
// new call on a worker and sums the workers' counters for the control plane.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "media/bridge/MediaBridge.h"
#include "media/rtc/IceAgent.h"
#include "media/session/SdpNegotiator.h"

namespace callgate::core {
class EventLoop;
}
namespace callgate::config {
struct Config;
}
namespace callgate::media::rtc {
class DtlsIdentity;
}
namespace callgate::media::engine {
class MediaWorker;
class MediaCounters;
class PortAllocator;
}  // namespace callgate::media::engine

namespace callgate::media::session {

class CallMedia;

struct MediaInterfaceSettings {
  std::string name;
  std::string address;
  std::string advertised;  // what SDP carries
};

struct MediaEngineSettings {
  unsigned workers = 1;
  uint16_t portMin = 20000;
  uint16_t portMax = 39999;
  std::vector<MediaInterfaceSettings> interfaces;  // enabled ones, in order
  rtc::IceServers servers;
  uint32_t inactivityTimeoutS = 30;
  bridge::BridgeSettings bridge;
  std::vector<bridge::AudioCodec> webrtcCodecs = allAudioCodecs();
};

// "opus,pcmu" → the codecs it names, in order (unknown names skipped).
std::vector<bridge::AudioCodec> audioCodecs(const std::vector<std::string>& names);

// From the configuration; STUN/TURN host names are resolved here (control
// plane) so workers never block on DNS. Unresolvable servers are left out
// and reported in *warning.
MediaEngineSettings mediaEngineSettings(const config::Config& config, std::string* warning);

class MediaEngine {
 public:
  MediaEngine(core::EventLoop& signalling, MediaEngineSettings settings);
  ~MediaEngine();
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // New calls use the new settings; calls in progress keep theirs. The
  // number of workers and the port range are fixed until restart.
  void reconfigure(MediaEngineSettings settings);
  const MediaEngineSettings& settings() const { return settings_; }

  // The interface a SIP-side leg binds to: by name, else the first one of
  // the family of `peerAddress` (an IP literal or empty for any).
  std::optional<MediaInterfaceSettings> interfaceFor(const std::string& name,
                                                     const std::string& peerAddress) const;

  // Summed over workers, named as in mediaCounterName().
  std::vector<std::pair<std::string, uint64_t>> counters() const;

  // For CallMedia.
  core::EventLoop& signalling() { return signalling_; }
  engine::MediaWorker& pickWorker(size_t* index);
  engine::MediaCounters& countersOf(size_t worker);
  const rtc::DtlsIdentity& identity() const { return *identity_; }
  engine::PortAllocator& ports() { return *ports_; }

 private:
  // passed in
  core::EventLoop& signalling_;
  // owned
  MediaEngineSettings settings_;
  std::shared_ptr<const rtc::DtlsIdentity> identity_;
  std::unique_ptr<engine::PortAllocator> ports_;
  std::vector<std::unique_ptr<engine::MediaCounters>> counters_;
  std::vector<std::unique_ptr<engine::MediaWorker>> workers_;
  size_t next_ = 0;
};

}  // namespace callgate::media::session
