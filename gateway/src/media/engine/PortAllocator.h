#pragma once
// UDP ports for SIP-side RTP legs from the configured range: an even port
// for RTP and the next one for RTCP (RFC 3550 §11), bound at once so two
// calls can never be handed the same pair. Thread-safe: any worker asks.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace callgate::media::engine {

// Two bound, non-blocking UDP sockets; closed by the destructor.
class UdpPortPair {
 public:
  UdpPortPair() = default;
  UdpPortPair(int rtpFd, int rtcpFd, uint16_t port) : rtpFd_(rtpFd), rtcpFd_(rtcpFd), port_(port) {}
  ~UdpPortPair();
  UdpPortPair(UdpPortPair&& other) noexcept;
  UdpPortPair& operator=(UdpPortPair&& other) noexcept;
  UdpPortPair(const UdpPortPair&) = delete;
  UdpPortPair& operator=(const UdpPortPair&) = delete;

  int rtpFd() const { return rtpFd_; }
  int rtcpFd() const { return rtcpFd_; }
  uint16_t rtpPort() const { return port_; }
  uint16_t rtcpPort() const { return static_cast<uint16_t>(port_ + 1); }
  bool valid() const { return rtpFd_ >= 0; }

 private:
  void close();
  int rtpFd_ = -1;
  int rtcpFd_ = -1;
  uint16_t port_ = 0;
};

class PortAllocator {
 public:
  PortAllocator(uint16_t minPort, uint16_t maxPort);

  // Binds the next free even/odd pair on `address` (an IP literal); nullopt
  // with *error when the range is exhausted or the address is unusable.
  std::optional<UdpPortPair> allocate(const std::string& address, std::string* error);

  uint16_t minPort() const { return min_; }
  uint16_t maxPort() const { return max_; }

 private:
  const uint16_t min_;  // even
  const uint16_t max_;
  std::atomic<uint32_t> cursor_{0};
};

}  // namespace callgate::media::engine
