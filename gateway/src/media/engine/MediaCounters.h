#pragma once
// Counters of one media worker: bumped by its thread only, with relaxed
// atomics so the control plane can read them at any time; the engine sums
// the workers on read. No lock, no allocation per packet.

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace callgate::media::engine {

enum class MediaCounter : uint8_t {
  RtpReceived,
  RtpSent,
  RtcpReceived,
  RtcpSent,
  BytesReceived,
  BytesSent,
  SrtpAuthenticationFailed,
  SrtpReplayed,
  MalformedDropped,   // not RTP/RTCP/STUN/DTLS, or a header that does not parse
  UnexpectedDropped,  // well-formed but not for this leg (wrong payload type, too early)
  StunRejected,       // STUN on a served pair's socket failing integrity, fingerprint or username
  SendFailed,
  DtlsFailed,
  IceFailed,
  IcePairsServed,       // selected pairs whose socket the worker reads itself
  IceConsentRefreshed,  // answers to our consent checks on served pairs
  RelayedPackets,
  TranscodedFrames,
  ConcealedFrames,
  JitterLate,
  InactivityTimeouts,
  SessionsCreated,
  SessionsClosed,
  Count,
};

std::string_view mediaCounterName(MediaCounter counter);

class MediaCounters {
 public:
  void inc(MediaCounter c, uint64_t n = 1) {
    values_[static_cast<size_t>(c)].fetch_add(n, std::memory_order_relaxed);
  }
  uint64_t value(MediaCounter c) const {
    return values_[static_cast<size_t>(c)].load(std::memory_order_relaxed);
  }

 private:
  std::array<std::atomic<uint64_t>, static_cast<size_t>(MediaCounter::Count)> values_{};
};

}  // namespace callgate::media::engine
