#pragma once
// DTLS 1.2 over an ICE transport, for DTLS-SRTP key agreement (RFC 5763,
// RFC 5764). Datagrams go in through onPacket() and out through the
// listener; the peer's certificate must match the fingerprint its SDP gave,
// and no SRTP key exists before the handshake has completed and matched.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "media/rtc/SrtpKeys.h"

struct ssl_st;
struct bio_st;

namespace callgate::media::rtc {

class DtlsIdentity;

enum class DtlsRole : uint8_t { Client, Server };

class DtlsTransport {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // A datagram to send to the peer over the ICE transport.
    virtual void onDtlsSend(DtlsTransport& transport, std::span<const uint8_t> datagram) = 0;
    virtual void onDtlsConnected(DtlsTransport& transport, const SrtpKeys& keys) = 0;
    virtual void onDtlsFailed(DtlsTransport& transport, std::string_view reason) = 0;
    // The peer sent close_notify.
    virtual void onDtlsClosed(DtlsTransport& transport) = 0;
  };

  enum class State : uint8_t { New, Connecting, Connected, Failed, Closed };

  DtlsTransport(const DtlsIdentity& identity, Listener& listener);
  ~DtlsTransport();
  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  // From the peer's SDP (a=fingerprint); checked against its certificate.
  // Returns false for a hash algorithm we do not know.
  bool setRemoteFingerprint(std::string_view algorithm, std::string_view value);
  // Client sends its ClientHello at once; a server waits for one.
  void start(DtlsRole role);
  // A datagram from the peer whose first byte is 20..63 (RFC 7983); false
  // when it was not taken (wrong state, session released).
  bool onPacket(std::span<const uint8_t> datagram);
  // How long until the handshake wants onTimeout(); nullopt when it does not.
  std::optional<std::chrono::milliseconds> timeout() const;
  void onTimeout();
  // Sends close_notify.
  void close();
  // Frees the TLS session once the keys are out (Connected): its buffers and
  // handshake state are most of a call's DTLS memory and nothing needs them
  // after the peer has its last flight. Later datagrams are ignored
  // (onPacket returns false) and close() sends nothing.
  void releaseSession();
  bool sessionReleased() const { return state_ == State::Connected && !ssl_; }

  State state() const { return state_; }
  std::optional<DtlsRole> role() const { return role_; }
  const std::string& failure() const { return failure_; }

 private:
  void advanceHandshake();
  void flushOutgoing();
  bool verifyPeerCertificate();
  void exportKeys();
  void fail(std::string reason);

  // passed in
  Listener& listener_;
  // owned
  ssl_st* ssl_ = nullptr;
  bio_st* incoming_ = nullptr;  // owned by ssl_
  bio_st* outgoing_ = nullptr;  // owned by ssl_
  State state_ = State::New;
  std::optional<DtlsRole> role_;
  std::string remoteAlgorithm_;
  std::string remoteFingerprint_;
  std::string failure_;
};

}  // namespace callgate::media::rtc
