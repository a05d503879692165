#include "net/SocketAddress.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace callgate::net {

std::optional<SocketAddress> SocketAddress::fromIp(std::string_view ip, uint16_t port) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  std::memcpy(text, ip.data(), ip.size());
  text[ip.size()] = '\0';
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage_);
  if (::inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    return a;
  }
  a.storage_ = {};
  if (::inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    return a;
  }
  return std::nullopt;
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view hostPort) {
  std::string_view host;
  std::string_view portText;
  if (!hostPort.empty() && hostPort.front() == '[') {
    const auto close = hostPort.find(']');
    if (close == std::string_view::npos || close + 1 >= hostPort.size() ||
        hostPort[close + 1] != ':') {
      return std::nullopt;
    }
    host = hostPort.substr(1, close - 1);
    portText = hostPort.substr(close + 2);
  } else {
    const auto colon = hostPort.rfind(':');
    if (colon == std::string_view::npos || hostPort.find(':') != colon) return std::nullopt;
    host = hostPort.substr(0, colon);
    portText = hostPort.substr(colon + 1);
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (ec != std::errc() || end != portText.data() + portText.size() || port > 65535 ||
      portText.empty()) {
    return std::nullopt;
  }
  return fromIp(host, static_cast<uint16_t>(port));
}

SocketAddress SocketAddress::fromSockaddr(const sockaddr* sa, socklen_t length) {
  SocketAddress a;
  if (sa && length > 0 && static_cast<size_t>(length) <= sizeof a.storage_) {
    std::memcpy(&a.storage_, sa, static_cast<size_t>(length));
  }
  return a;
}

socklen_t SocketAddress::length() const {
  switch (storage_.ss_family) {
    case AF_INET:
      return sizeof(sockaddr_in);
    case AF_INET6:
      return sizeof(sockaddr_in6);
    default:
      return 0;
  }
}

std::string SocketAddress::ip() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (storage_.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text,
                sizeof text);
  } else if (storage_.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text,
                sizeof text);
  }
  return text;
}

uint16_t SocketAddress::port() const {
  switch (storage_.ss_family) {
    case AF_INET:
      return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
    case AF_INET6:
      return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
    default:
      return 0;
  }
}

void SocketAddress::setPort(uint16_t port) {
  if (storage_.ss_family == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
  } else if (storage_.ss_family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
  }
}

bool SocketAddress::isLoopback() const {
  if (storage_.ss_family == AF_INET) {
    const auto addr = ntohl(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr);
    return (addr >> 24) == 127;
  }
  if (storage_.ss_family == AF_INET6) {
    return IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr);
  }
  return false;
}

bool SocketAddress::isAny() const {
  if (storage_.ss_family == AF_INET) {
    return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr == INADDR_ANY;
  }
  if (storage_.ss_family == AF_INET6) {
    return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr);
  }
  return false;
}

std::string SocketAddress::hostForUri() const {
  return storage_.ss_family == AF_INET6 ? "[" + ip() + "]" : ip();
}

std::string SocketAddress::toString() const {
  if (!valid()) return "<unspecified>";
  return hostForUri() + ":" + std::to_string(port());
}

bool SocketAddress::operator==(const SocketAddress& other) const {
  if (family() != other.family() || port() != other.port()) return false;
  if (family() == AF_INET) {
    return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in*>(&other.storage_)->sin_addr.s_addr;
  }
  if (family() == AF_INET6) {
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr,
                       &reinterpret_cast<const sockaddr_in6*>(&other.storage_)->sin6_addr,
                       sizeof(in6_addr)) == 0;
  }
  return true;
}

bool SocketAddress::operator<(const SocketAddress& other) const {
  if (family() != other.family()) return family() < other.family();
  if (port() != other.port()) return port() < other.port();
  if (family() == AF_INET) {
    return ntohl(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr) <
           ntohl(reinterpret_cast<const sockaddr_in*>(&other.storage_)->sin_addr.s_addr);
  }
  if (family() == AF_INET6) {
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr,
                       &reinterpret_cast<const sockaddr_in6*>(&other.storage_)->sin6_addr,
                       sizeof(in6_addr)) < 0;
  }
  return false;
}

size_t SocketAddress::hash() const {
  size_t h = std::hash<int>()(family()) * 31 + port();
  if (family() == AF_INET) {
    h = h * 131 + reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr;
  } else if (family() == AF_INET6) {
    const auto* bytes = reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr.s6_addr;
    for (int i = 0; i < 16; ++i) h = h * 131 + bytes[i];
  }
  return h;
}

}  // namespace callgate::net
