#pragma once
// An IPv4 or IPv6 socket address (IP literal + port). Value type, cheap to copy.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace callgate::net {

class SocketAddress {
 public:
  SocketAddress() = default;  // unspecified (family AF_UNSPEC)

  // IP literal ("192.0.2.1", "::1", "[::1]") and port; nullopt for anything else.
  static std::optional<SocketAddress> fromIp(std::string_view ip, uint16_t port);
  // "192.0.2.1:5060", "[2001:db8::1]:5061"; nullopt for anything else.
  static std::optional<SocketAddress> parse(std::string_view hostPort);
  static SocketAddress fromSockaddr(const sockaddr* sa, socklen_t length);

  bool valid() const { return storage_.ss_family == AF_INET || storage_.ss_family == AF_INET6; }
  int family() const { return storage_.ss_family; }
  const sockaddr* sockaddrPtr() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t length() const;
  std::string ip() const;  // without brackets
  uint16_t port() const;
  void setPort(uint16_t port);
  bool isLoopback() const;
  bool isAny() const;
  // "ip:port", IPv6 as "[ip]:port".
  std::string toString() const;
  // Host part for SIP headers: IPv6 in brackets.
  std::string hostForUri() const;

  bool operator==(const SocketAddress& other) const;
  bool operator<(const SocketAddress& other) const;
  size_t hash() const;

 private:
  sockaddr_storage storage_{};
};

}  // namespace callgate::net

template <>
struct std::hash<callgate::net::SocketAddress> {
  size_t operator()(const callgate::net::SocketAddress& a) const noexcept { return a.hash(); }
};
