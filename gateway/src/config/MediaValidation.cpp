#include "config/MediaValidation.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <set>

namespace callgate::config {
namespace {

bool isIp(const std::string& text) {
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

int familyOf(const std::string& text) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return AF_INET;
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return AF_INET6;
  return 0;
}

bool isHostName(const std::string& host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_')
      return false;
  }
  return host.front() != '.' && host.back() != '.';
}

// "host", "host:port", "[v6]" or "[v6]:port".
bool isHostPort(const std::string& text) {
  std::string host = text;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) return false;
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return false;
      port = text.substr(close + 2);
    }
    if (familyOf(host) != AF_INET6) return false;
  } else if (const auto colon = text.find(':'); colon != std::string::npos) {
    if (text.find(':', colon + 1) != std::string::npos) return false;  // bare IPv6: use [..]
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
      return false;
  } else if (!text.empty() && text.back() == ':') {
    return false;
  }
  return isIp(host) || isHostName(host);
}

}  // namespace

std::vector<std::string> splitCodecList(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    std::string item =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    for (auto& ch : item) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool isKnownCodec(const std::string& name) {
  return name == "opus" || name == "pcmu" || name == "pcma";
}

void validateMedia(const Config& c, std::vector<ValidationError>& errors) {
  auto error = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message)});
  };
  const auto& m = c.media;
  if (m.workers > 64) error("media.workers", "must be 0..64 (0 = one per core)");
  if (m.rtp_port_min < 1024 || m.rtp_port_min > 65534)
    error("media.rtp_port_min", "must be 1024..65534");
  if (m.rtp_port_max > 65535 || m.rtp_port_max < m.rtp_port_min + 1) {
    error("media.rtp_port_max", "must be rtp_port_min+1..65535");
  }
  if (!m.stun_server.empty() && !isHostPort(m.stun_server))
    error("media.stun_server", "must be host[:port] ([IPv6]:port)");
  if (!m.turn_server.empty() && !isHostPort(m.turn_server))
    error("media.turn_server", "must be host[:port] ([IPv6]:port)");
  static const std::set<std::string> kTurnTransports{"udp", "tcp", "tls"};
  if (!kTurnTransports.contains(m.turn_transport))
    error("media.turn_transport", "must be one of udp, tcp, tls");
  if (!m.turn_server.empty() && (m.turn_username.empty() || m.turn_password.empty()))
    error("media.turn_username", "a TURN server needs a username and password");
  if (m.turn_username.size() > 128) error("media.turn_username", "too long (max 128)");
  if (m.turn_password.size() > 128) error("media.turn_password", "too long (max 128)");
  if (m.inactivity_timeout_s > 86400)
    error("media.inactivity_timeout_s", "must be 0..86400 (0 = never)");
  if (m.opus_complexity > 10) error("media.opus_complexity", "must be 0..10");
  if (m.opus_bitrate < 6000 || m.opus_bitrate > 510000)
    error("media.opus_bitrate", "must be 6000..510000");
  if (m.jitter_buffer_max_ms < 20 || m.jitter_buffer_max_ms > 1000)
    error("media.jitter_buffer_max_ms", "must be 20..1000");

  {
    std::set<std::string> seen;
    for (const auto& codec : splitCodecList(m.webrtc_codecs)) {
      if (!isKnownCodec(codec)) {
        error("media.webrtc_codecs", "unknown codec '" + codec + "' (known: opus, pcmu, pcma)");
      } else if (!seen.insert(codec).second) {
        error("media.webrtc_codecs", "codec '" + codec + "' listed twice");
      }
    }
  }

  std::set<std::string> names;
  bool anyEnabled = false;
  for (size_t i = 0; i < c.media_interfaces.size(); ++i) {
    const auto& mi = c.media_interfaces[i];
    const std::string f = "media_interfaces[" + std::to_string(i) + "]";
    if (mi.name.empty() || mi.name.size() > 64) error(f + ".name", "must be 1-64 characters");
    if (!names.insert(mi.name).second)
      error(f + ".name", "duplicate media interface name '" + mi.name + "'");
    if (!isIp(mi.address)) error(f + ".address", "must be an IPv4 or IPv6 address");
    if (!mi.advertised_address.empty() &&
        (!isIp(mi.advertised_address) || familyOf(mi.advertised_address) != familyOf(mi.address)))
      error(f + ".advertised_address", "must be an IP address of the same family as address");
    anyEnabled = anyEnabled || mi.enabled;
  }
  if (!anyEnabled) error("media_interfaces", "at least one media interface must be enabled");

  static const std::set<std::string> kEncryption{"none", "sdes"};
  for (size_t i = 0; i < c.peers.size(); ++i) {
    const auto& p = c.peers[i];
    const std::string f = "peers[" + std::to_string(i) + "]";
    std::set<std::string> seen;
    for (const auto& codec : splitCodecList(p.codecs)) {
      if (!isKnownCodec(codec)) {
        error(f + ".codecs", "unknown codec '" + codec + "' (known: opus, pcmu, pcma)");
      } else if (!seen.insert(codec).second) {
        error(f + ".codecs", "codec '" + codec + "' listed twice");
      }
    }
    if (!kEncryption.contains(p.media_encryption))
      error(f + ".media_encryption", "must be none or sdes");
    if (!p.media_interface.empty() && !names.contains(p.media_interface))
      error(f + ".media_interface", "no media interface named '" + p.media_interface + "'");
  }
}

}  // namespace callgate::config
