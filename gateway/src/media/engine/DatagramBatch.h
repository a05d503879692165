#pragma once
// Datagrams read from one socket with one system call (recvmmsg) into
// buffers the media worker owns: one set per worker rather than a receive
// buffer per leg, and no extra call that only learns the socket is empty.
// Worker thread only.

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/engine/MediaLeg.h"
#include "net/SocketAddress.h"

namespace callgate::media::engine {

class DatagramBatch {
 public:
  static constexpr size_t kSlots = 16;
  // Datagrams read per readiness before other sockets on the worker get a
  // turn; epoll (level triggered) reports what is left.
  static constexpr size_t kReadBudget = 64;

  DatagramBatch();
  DatagramBatch(const DatagramBatch&) = delete;
  DatagramBatch& operator=(const DatagramBatch&) = delete;

  // Calls each(std::span<uint8_t> datagram, const net::SocketAddress& from,
  // bool truncated) for what waits on `fd`, up to kReadBudget datagrams. The
  // span has kPacketCapacity bytes of room (for SRTP in place) and is valid
  // until `each` returns. A handler that drains again (it never should) reads
  // nothing: the socket stays readable and is served next time round.
  template <typename Each>
  void drain(int fd, Each&& each) {
    if (busy_) return;
    busy_ = true;
    size_t total = 0;
    while (total < kReadBudget) {
      const size_t count = receive(fd);
      for (size_t i = 0; i < count; ++i) {
        const auto& header = headers_[i].msg_hdr;
        const auto from = net::SocketAddress::fromSockaddr(
            reinterpret_cast<const sockaddr*>(&sources_[i]), header.msg_namelen);
        each(std::span<uint8_t>(buffers_[i].data(), headers_[i].msg_len), from,
             (header.msg_flags & MSG_TRUNC) != 0);
      }
      total += count;
      if (count < kSlots) break;
    }
    busy_ = false;
  }

 private:
  size_t receive(int fd);

  std::array<std::array<uint8_t, kPacketCapacity>, kSlots> buffers_{};
  std::array<sockaddr_storage, kSlots> sources_{};
  std::array<iovec, kSlots> vectors_{};
  std::array<mmsghdr, kSlots> headers_{};
  bool busy_ = false;
};

}  // namespace callgate::media::engine
