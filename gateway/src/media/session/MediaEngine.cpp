#include "media/session/MediaEngine.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <thread>

#include "config/Config.h"
#include "config/MediaValidation.h"
#include "media/engine/MediaCounters.h"
#include "media/engine/MediaWorker.h"
#include "media/engine/PortAllocator.h"
#include "media/rtc/DtlsIdentity.h"
#include "media/rtc/SrtpSession.h"

namespace callgate::media::session {
namespace {

// "host[:port]" / "[v6]:port" → resolved IP and port.
std::optional<std::pair<std::string, uint16_t>> resolveServer(const std::string& text,
                                                              uint16_t defaultPort) {
  std::string host = text;
  uint16_t port = defaultPort;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    host = text.substr(1, close - 1);
    if (close + 2 < text.size()) port = static_cast<uint16_t>(std::stoul(text.substr(close + 2)));
  } else if (const auto colon = text.find(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port = static_cast<uint16_t>(std::stoul(text.substr(colon + 1)));
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* result = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &result) != 0 || !result) return std::nullopt;
  char ip[INET6_ADDRSTRLEN] = {};
  if (result->ai_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(result->ai_addr)->sin_addr, ip, sizeof ip);
  } else {
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(result->ai_addr)->sin6_addr, ip,
              sizeof ip);
  }
  freeaddrinfo(result);
  return std::make_pair(std::string(ip), port);
}

bool isIpv6(const std::string& address) {
  return address.find(':') != std::string::npos;
}

}  // namespace

MediaEngineSettings mediaEngineSettings(const config::Config& c, std::string* warning) {
  MediaEngineSettings s;
  const auto& m = c.media;
  s.workers = m.workers != 0 ? m.workers : std::max(1u, std::thread::hardware_concurrency());
  s.portMin = static_cast<uint16_t>(m.rtp_port_min);
  s.portMax = static_cast<uint16_t>(m.rtp_port_max);
  for (const auto& i : c.media_interfaces) {
    if (!i.enabled) continue;
    s.interfaces.push_back(
        {i.name, i.address, i.advertised_address.empty() ? i.address : i.advertised_address});
  }
  if (!m.stun_server.empty()) {
    if (auto r = resolveServer(m.stun_server, 3478)) {
      s.servers.stunIp = r->first;
      s.servers.stunPort = r->second;
    } else if (warning) {
      *warning += "cannot resolve STUN server " + m.stun_server + "; ";
    }
  }
  if (!m.turn_server.empty()) {
    if (auto r = resolveServer(m.turn_server, 3478)) {
      s.servers.turnIp = r->first;
      s.servers.turnPort = r->second;
      s.servers.turnTransport = m.turn_transport;
      s.servers.turnUsername = m.turn_username;
      s.servers.turnPassword = m.turn_password;
    } else if (warning) {
      *warning += "cannot resolve TURN server " + m.turn_server + "; ";
    }
  }
  s.inactivityTimeoutS = m.inactivity_timeout_s;
  s.bridge.opusComplexity = static_cast<int>(m.opus_complexity);
  s.bridge.opusBitrate = static_cast<int>(m.opus_bitrate);
  s.bridge.jitterBufferMaxMs = static_cast<int>(m.jitter_buffer_max_ms);
  s.bridge.cname = c.system.name;
  s.webrtcCodecs = audioCodecs(config::splitCodecList(m.webrtc_codecs));
  return s;
}

std::vector<bridge::AudioCodec> audioCodecs(const std::vector<std::string>& names) {
  std::vector<bridge::AudioCodec> out;
  for (const auto& name : names) {
    if (name == "opus") out.push_back(bridge::AudioCodec::Opus);
    if (name == "pcmu") out.push_back(bridge::AudioCodec::Pcmu);
    if (name == "pcma") out.push_back(bridge::AudioCodec::Pcma);
  }
  return out;
}

MediaEngine::MediaEngine(core::EventLoop& signalling, MediaEngineSettings settings)
    : signalling_(signalling), settings_(std::move(settings)) {
  rtc::SrtpSession::initLibrary();
  identity_ = rtc::DtlsIdentity::generate();
  ports_ = std::make_unique<engine::PortAllocator>(settings_.portMin, settings_.portMax);
  for (unsigned i = 0; i < std::max(1u, settings_.workers); ++i) {
    counters_.push_back(std::make_unique<engine::MediaCounters>());
    workers_.push_back(std::make_unique<engine::MediaWorker>(i));
    workers_.back()->start();
  }
}

MediaEngine::~MediaEngine() {
  for (auto& w : workers_) w->stop();
}

void MediaEngine::reconfigure(MediaEngineSettings settings) {
  settings.workers = settings_.workers;
  settings.portMin = settings_.portMin;
  settings.portMax = settings_.portMax;
  settings_ = std::move(settings);
}

std::optional<MediaInterfaceSettings> MediaEngine::interfaceFor(
    const std::string& name, const std::string& peerAddress) const {
  for (const auto& i : settings_.interfaces) {
    if (!name.empty() && i.name == name) return i;
  }
  if (!name.empty()) return std::nullopt;
  const bool v6 = isIpv6(peerAddress);
  for (const auto& i : settings_.interfaces) {
    if (peerAddress.empty() || isIpv6(i.address) == v6) return i;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, uint64_t>> MediaEngine::counters() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (size_t c = 0; c < static_cast<size_t>(engine::MediaCounter::Count); ++c) {
    const auto counter = static_cast<engine::MediaCounter>(c);
    uint64_t sum = 0;
    for (const auto& w : counters_) sum += w->value(counter);
    out.emplace_back(std::string(engine::mediaCounterName(counter)), sum);
  }
  return out;
}

engine::MediaWorker& MediaEngine::pickWorker(size_t* index) {
  *index = next_++ % workers_.size();
  return *workers_[*index];
}

engine::MediaCounters& MediaEngine::countersOf(size_t worker) {
  return *counters_[worker];
}

}  // namespace callgate::media::session
