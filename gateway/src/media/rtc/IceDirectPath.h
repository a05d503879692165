#pragma once
// The selected candidate pair of a WebRTC leg served without libnice: once
// libnice has nominated a pair on a plain UDP socket, the media worker reads
// that socket itself (no GLib dispatch, no libnice receive path per packet),
// and this class does the ICE work that remains on it:
// - answers the peer's connectivity and consent checks (RFC 8445 §7.3,
//   RFC 7675 §5) after checking USERNAME, MESSAGE-INTEGRITY and FINGERPRINT;
// - sends our own consent checks (every interval, randomised by ±20 %) and
//   reports consent lost when no authenticated answer came for `expiry`;
// - follows the peer when it nominates another of its addresses toward this
//   same socket (USE-CANDIDATE in an authenticated check).
// Everything that is not STUN is the caller's (DTLS, SRTP, SRTCP).
// No allocation per datagram; one thread.

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "net/SocketAddress.h"

namespace callgate::media::stun {
class StunMessage;
}

namespace callgate::media::rtc {

struct IceCredentials {
  std::string localUfrag;
  std::string localPassword;
  std::string remoteUfrag;
  std::string remotePassword;
};

struct IceConsentTiming {
  int64_t intervalUs = 5'000'000;  // RFC 7675 §5.1: 5 s on average
  int64_t expiryUs = 30'000'000;   // RFC 7675 §5.1: consent lost after 30 s
};

class IceDirectPath {
 public:
  enum class Verdict : uint8_t {
    Media,             // not STUN: the caller's
    Handled,           // STUN for us: a check answered, a keep-alive
    ConsentRefreshed,  // the peer answered one of our consent checks
    Rejected,          // STUN that failed a check (integrity, fingerprint, username) or is not ours
  };

  IceDirectPath(int fd, const net::SocketAddress& remote, IceCredentials credentials,
                bool controlling, IceConsentTiming timing, int64_t nowUs);

  int fd() const { return fd_; }
  const net::SocketAddress& remote() const { return remote_; }

  Verdict onDatagram(std::span<const uint8_t> datagram, const net::SocketAddress& from,
                     int64_t nowUs);
  // Sends a consent check; returns when the next one is due (randomised).
  int64_t sendConsentCheck(int64_t nowUs);
  bool consentExpired(int64_t nowUs) const { return nowUs - lastConsentUs_ > timing_.expiryUs; }

  uint64_t checksAnswered() const { return checksAnswered_; }
  uint64_t consentChecksSent() const { return consentSent_; }
  uint64_t consentResponses() const { return consentResponses_; }

 private:
  Verdict onRequest(const stun::StunMessage& request, const net::SocketAddress& from);
  Verdict onResponse(const stun::StunMessage& response, const net::SocketAddress& from,
                     int64_t nowUs);
  void sendTo(std::span<const uint8_t> message, const net::SocketAddress& to) const;
  uint64_t nextRandom();

  static constexpr size_t kOutstanding = 8;  // more than expiry / interval checks

  // passed in
  const int fd_;
  net::SocketAddress remote_;
  const IceCredentials credentials_;
  const bool controlling_;
  const IceConsentTiming timing_;
  // owned
  const std::string expectedUsernamePrefix_;  // "localUfrag:"
  const std::string consentUsername_;         // "remoteUfrag:localUfrag"
  uint64_t tieBreaker_ = 0;
  uint64_t random_ = 0;
  int64_t lastConsentUs_;
  std::array<std::array<uint8_t, 12>, kOutstanding> outstanding_{};
  size_t nextSlot_ = 0;
  uint64_t checksAnswered_ = 0;
  uint64_t consentSent_ = 0;
  uint64_t consentResponses_ = 0;
};

}  // namespace callgate::media::rtc
