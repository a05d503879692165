#pragma once
// The browser end of one WebRTC leg, as the media load generator plays it:
// ICE as the controlling agent (we offer, RFC 8445 §6.1.1) with one host
// candidate, DTLS-SRTP in whichever role the answer leaves us (RFC 5763 §5),
// and SRTP for the media. It shares a UDP socket with other legs: the
// generator demultiplexes by the far end's address and hands packets in.

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/rtc/DtlsTransport.h"
#include "media/rtc/SrtpSession.h"
#include "media/stun/StunMessage.h"

namespace callgate::bench {

class WebRtcPeer final : private media::rtc::DtlsTransport::Listener {
 public:
  enum class State : uint8_t { Offered, Checking, Handshaking, Ready, Failed };

  // `fd` is the shared socket bound to 127.0.0.1:localPort; `index` is put
  // in our STUN transaction ids so responses find their leg.
  WebRtcPeer(const media::rtc::DtlsIdentity& identity, int fd, uint16_t localPort, uint32_t index,
             uint64_t seed);
  ~WebRtcPeer() override;

  const std::string& localUfrag() const { return localUfrag_; }
  const std::string& localPassword() const { return localPassword_; }
  uint16_t localPort() const { return localPort_; }

  // From the answer. `weAreDtlsServer`: the answer said a=setup:active.
  void setRemote(std::string_view ufrag, std::string_view password, const sockaddr_in& candidate,
                 std::string_view fingerprintAlgorithm, std::string_view fingerprint,
                 bool weAreDtlsServer);
  bool hasRemoteAddress() const { return remoteKnown_; }
  uint16_t remotePort() const { return ntohs(remote_.sin_port); }

  // A STUN request whose USERNAME names our ufrag, from `from`. Returns false
  // when its MESSAGE-INTEGRITY does not verify with our password.
  bool onStunRequest(const media::stun::StunMessage& request, const sockaddr_in& from);
  // A response to one of our checks (matched by transaction id).
  void onStunResponse(const media::stun::StunMessage& response);
  void onDtls(std::span<const uint8_t> datagram);
  // Retransmits checks and drives DTLS timers; call every few milliseconds.
  void poll(int64_t nowMs);

  // SRTP in place; false when not ready or the packet does not authenticate.
  bool unprotect(uint8_t* packet, size_t& length);
  // Protects `packet` in place (with kSrtpMaxTrailer spare bytes) for the
  // caller to send to remote(); false when not ready.
  bool protect(uint8_t* packet, size_t& length, size_t capacity);
  const sockaddr_in& remote() const { return remote_; }
  int fd() const { return fd_; }

  State state() const { return state_; }
  const std::string& failure() const { return failure_; }
  std::string_view srtpProfile() const;
  // For failure reports: "requests answered/checks sent/successes, dtls state".
  std::string describe() const;

 private:
  // DtlsTransport::Listener
  void onDtlsSend(media::rtc::DtlsTransport& transport, std::span<const uint8_t> datagram) override;
  void onDtlsConnected(media::rtc::DtlsTransport& transport,
                       const media::rtc::SrtpKeys& keys) override;
  void onDtlsFailed(media::rtc::DtlsTransport& transport, std::string_view reason) override;
  void onDtlsClosed(media::rtc::DtlsTransport& transport) override;

  void sendCheck();
  void sendTo(std::span<const uint8_t> datagram);
  void fail(std::string reason);

  // passed in
  int fd_;
  uint16_t localPort_;
  uint32_t index_;
  // owned
  std::string localUfrag_, localPassword_;
  std::string remoteUfrag_, remotePassword_;
  sockaddr_in remote_{};
  bool remoteKnown_ = false;
  bool haveRemoteCredentials_ = false;
  bool weAreServer_ = true;
  bool nominated_ = false;
  uint64_t tieBreaker_;
  uint64_t rng_;
  media::stun::TransactionId checkId_{};
  int64_t nextCheckMs_ = 0;
  int64_t checkDeadlineMs_ = 0;
  media::rtc::DtlsTransport dtls_;
  std::unique_ptr<media::rtc::SrtpSession> srtp_;
  std::vector<std::vector<uint8_t>> early_;  // DTLS that came before the answer
  State state_ = State::Offered;
  std::string failure_;
  uint32_t requestsAnswered_ = 0;
  uint32_t checksSent_ = 0;
  uint32_t successes_ = 0;
};

}  // namespace callgate::bench
