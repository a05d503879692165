#include "media/engine/DatagramBatch.h"

#include <cerrno>

namespace callgate::media::engine {

DatagramBatch::DatagramBatch() {
  for (size_t i = 0; i < kSlots; ++i) {
    // Room for SRTP's trailer stays free behind the largest datagram we take.
    vectors_[i] = {buffers_[i].data(), kMaxDatagram};
  }
}

size_t DatagramBatch::receive(int fd) {
  for (size_t i = 0; i < kSlots; ++i) {
    auto& header = headers_[i].msg_hdr;
    header = {};
    header.msg_name = &sources_[i];
    header.msg_namelen = sizeof sources_[i];
    header.msg_iov = &vectors_[i];
    header.msg_iovlen = 1;
    headers_[i].msg_len = 0;
  }
  while (true) {
    const int count = recvmmsg(fd, headers_.data(), kSlots, MSG_DONTWAIT, nullptr);
    if (count >= 0) return static_cast<size_t>(count);
    if (errno != EINTR) return 0;  // EAGAIN, or an ICMP error reported on the socket
  }
}

}  // namespace callgate::media::engine
