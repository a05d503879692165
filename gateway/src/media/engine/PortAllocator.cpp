#include "media/engine/PortAllocator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace callgate::media::engine {
namespace {

// Binds a non-blocking UDP socket to address:port; -1 on failure with errno kept.
int bindUdp(int family, const sockaddr* address, socklen_t length) {
  const int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (bind(fd, address, length) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

UdpPortPair::~UdpPortPair() {
  close();
}

UdpPortPair::UdpPortPair(UdpPortPair&& other) noexcept
    : rtpFd_(std::exchange(other.rtpFd_, -1)),
      rtcpFd_(std::exchange(other.rtcpFd_, -1)),
      port_(other.port_) {}

UdpPortPair& UdpPortPair::operator=(UdpPortPair&& other) noexcept {
  if (this != &other) {
    close();
    rtpFd_ = std::exchange(other.rtpFd_, -1);
    rtcpFd_ = std::exchange(other.rtcpFd_, -1);
    port_ = other.port_;
  }
  return *this;
}

void UdpPortPair::close() {
  if (rtpFd_ >= 0) ::close(rtpFd_);
  if (rtcpFd_ >= 0) ::close(rtcpFd_);
  rtpFd_ = rtcpFd_ = -1;
}

PortAllocator::PortAllocator(uint16_t minPort, uint16_t maxPort)
    : min_(static_cast<uint16_t>(minPort + (minPort % 2))), max_(maxPort) {}

std::optional<UdpPortPair> PortAllocator::allocate(const std::string& address, std::string* error) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    family = AF_INET6;
    v6->sin6_family = AF_INET6;
    length = sizeof *v6;
  } else {
    if (error) *error = "not an IP address: " + address;
    return std::nullopt;
  }
  if (max_ <= min_) {
    if (error) *error = "the RTP port range holds no even/odd pair";
    return std::nullopt;
  }
  const uint32_t pairs = (static_cast<uint32_t>(max_) - min_ + 1) / 2;
  // Successive calls start where the last one ended, so a port just freed
  // is not reused at once (late packets of the old call would land in the new).
  for (uint32_t attempt = 0; attempt < pairs; ++attempt) {
    const uint32_t index = cursor_.fetch_add(1, std::memory_order_relaxed) % pairs;
    const auto port = static_cast<uint16_t>(min_ + 2 * index);
    auto setPort = [&](uint16_t p) {
      if (family == AF_INET) {
        v4->sin_port = htons(p);
      } else {
        v6->sin6_port = htons(p);
      }
    };
    setPort(port);
    const int rtp = bindUdp(family, reinterpret_cast<sockaddr*>(&storage), length);
    if (rtp < 0) {
      if (errno == EADDRINUSE || errno == EACCES) continue;
      if (error) *error = "cannot bind RTP on " + address + ": " + std::strerror(errno);
      return std::nullopt;
    }
    setPort(static_cast<uint16_t>(port + 1));
    const int rtcp = bindUdp(family, reinterpret_cast<sockaddr*>(&storage), length);
    if (rtcp < 0) {
      ::close(rtp);
      continue;
    }
    return UdpPortPair(rtp, rtcp, port);
  }
  if (error) {
    *error = "no free RTP port pair in " + std::to_string(min_) + "-" + std::to_string(max_) +
             " on " + address;
  }
  return std::nullopt;
}

}  // namespace callgate::media::engine
