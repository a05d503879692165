#include "config/Defaults.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "callme/Base64.h"

namespace callgate::config {

Config defaultConfig(const std::vector<std::string>& hostAddresses) {
  Config c;
  std::vector<std::string> addresses{"127.0.0.1"};
  addresses.insert(addresses.end(), hostAddresses.begin(), hostAddresses.end());
  const std::pair<const char*, uint32_t> kinds[] = {
      {"udp", 5060}, {"tcp", 5060}, {"tls", 5061}, {"ws", 5066}, {"wss", 7443}};
  for (size_t i = 0; i < addresses.size(); ++i) {
    for (const auto& [transport, port] : kinds) {
      Listener l;
      l.name = i == 0 ? std::string(transport)
                      : std::string(transport) + "-host-" + std::to_string(i - 1);
      l.transport = transport;
      l.address = addresses[i];
      l.port = port;
      c.listeners.push_back(l);
    }
  }
  c.media_interfaces.clear();
  for (size_t i = 0; i < addresses.size(); ++i) {
    MediaInterface m;
    m.name = i == 0 ? "loopback" : "host-" + std::to_string(i - 1);
    m.address = addresses[i];
    c.media_interfaces.push_back(m);
  }
  Route r;
  r.name = "registered-users";
  r.priority = 1000;
  r.target_type = "registered";
  c.routes.push_back(r);
  return c;
}

bool fillGeneratedDefaults(Config& config, const RandomBytes& random) {
  bool changed = false;
  if (config.callme.token_secret.empty()) {
    std::string key;
    if (random) {
      key = random(32);
    } else {
      key.resize(32);
      if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32) != 1)
        throw std::runtime_error("no random bytes for callme.token_secret");
    }
    config.callme.token_secret = callme::base64Encode(key);
    changed = true;
  }
  return changed;
}

std::vector<std::string> hostAddresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      const uint32_t ip = ntohl(a->sin_addr.s_addr);
      if ((ip >> 24) == 127 || (ip >> 16) == 0xa9fe) continue;  // loopback, link-local
      inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      if (IN6_IS_ADDR_LOOPBACK(&a->sin6_addr) || IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr)) continue;
      inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    } else {
      continue;
    }
    out.emplace_back(text);
  }
  freeifaddrs(list);
  return out;
}

}  // namespace callgate::config
