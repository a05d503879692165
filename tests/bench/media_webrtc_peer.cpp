#include "media_webrtc_peer.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <vector>

#include "media/rtc/DtlsIdentity.h"
#include "net/SocketAddress.h"

namespace callgate::bench {
namespace {

using media::stun::StunClass;
using media::stun::StunMessage;
using media::stun::StunMethod;
using media::stun::StunWriter;

constexpr int64_t kCheckIntervalMs = 50;        // until the first success (RFC 8445 Ta-like pacing)
constexpr int64_t kRenominateIntervalMs = 500;  // after it, until DTLS is done
constexpr int64_t kIceTimeoutMs = 15000;
constexpr size_t kMaxEarlyDtls = 8;

uint64_t nextRandom(uint64_t& state) {
  // splitmix64: a fresh, reproducible stream per leg without global state.
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string randomIceChars(uint64_t& state, size_t count) {
  // ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4)
  static constexpr char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < count; ++i) out += kChars[nextRandom(state) % 64];
  return out;
}

}  // namespace

WebRtcPeer::WebRtcPeer(const media::rtc::DtlsIdentity& identity, int fd, uint16_t localPort,
                       uint32_t index, uint64_t seed)
    : fd_(fd),
      localPort_(localPort),
      index_(index),
      tieBreaker_(0),
      rng_(seed ^ (uint64_t{index} << 32)),
      dtls_(identity, *this) {
  localUfrag_ = randomIceChars(rng_, 8);
  localPassword_ = randomIceChars(rng_, 24);
  tieBreaker_ = nextRandom(rng_);
}

WebRtcPeer::~WebRtcPeer() = default;

std::string_view WebRtcPeer::srtpProfile() const {
  return srtp_ ? media::rtc::srtpProfileName(srtp_->profile()) : std::string_view("none");
}

void WebRtcPeer::setRemote(std::string_view ufrag, std::string_view password,
                           const sockaddr_in& candidate, std::string_view fingerprintAlgorithm,
                           std::string_view fingerprint, bool weAreDtlsServer) {
  remoteUfrag_ = std::string(ufrag);
  remotePassword_ = std::string(password);
  haveRemoteCredentials_ = true;
  if (!remoteKnown_) {
    remote_ = candidate;
    remoteKnown_ = true;
  }
  weAreServer_ = weAreDtlsServer;
  if (!dtls_.setRemoteFingerprint(fingerprintAlgorithm, fingerprint)) {
    fail("unknown fingerprint algorithm " + std::string(fingerprintAlgorithm));
    return;
  }
  state_ = State::Checking;
  // A DTLS server listens from the start: the ClientHello may come as soon as
  // the far end's ICE has a pair, before ours has seen a success.
  if (weAreServer_) {
    dtls_.start(media::rtc::DtlsRole::Server);
    for (const auto& datagram : early_) dtls_.onPacket(datagram);
  }
  early_.clear();
}

bool WebRtcPeer::onStunRequest(const StunMessage& request, const sockaddr_in& from) {
  if (!request.verifyMessageIntegrity(localPassword_)) return false;
  if (!remoteKnown_) {
    remote_ = from;
    remoteKnown_ = true;
  }
  std::array<uint8_t, 256> out{};
  StunWriter w(out);
  const auto address =
      net::SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&from), sizeof from);
  if (!w.begin(StunMethod::kBinding, StunClass::Success, request.transactionId()) ||
      !w.addXorMappedAddress(address) || !w.addMessageIntegrity(localPassword_) ||
      !w.addFingerprint()) {
    return false;
  }
  ::sendto(fd_, w.bytes().data(), w.size(), 0, reinterpret_cast<const sockaddr*>(&from),
           sizeof from);
  ++requestsAnswered_;
  return true;
}

void WebRtcPeer::onStunResponse(const StunMessage& response) {
  if (!haveRemoteCredentials_ || state_ == State::Failed) return;
  if (!std::equal(response.transactionId().begin(), response.transactionId().end(),
                  checkId_.begin())) {
    return;  // a retransmitted check's answer, or stale
  }
  if (response.messageClass() != StunClass::Success ||
      !response.verifyMessageIntegrity(remotePassword_)) {
    return;
  }
  ++successes_;
  if (!nominated_) {
    nominated_ = true;
    // As the DTLS server we may be done already: the far end starts DTLS as
    // soon as its own checks succeed, which can be before ours do.
    if (state_ == State::Checking) state_ = State::Handshaking;
    if (!weAreServer_) dtls_.start(media::rtc::DtlsRole::Client);
  }
}

void WebRtcPeer::onDtls(std::span<const uint8_t> datagram) {
  if (state_ == State::Failed) return;
  if (state_ == State::Offered) {
    // Before the answer: keep the ClientHello for when we know the fingerprint.
    if (early_.size() < kMaxEarlyDtls) early_.emplace_back(datagram.begin(), datagram.end());
    return;
  }
  dtls_.onPacket(datagram);
}

void WebRtcPeer::poll(int64_t nowMs) {
  if (state_ == State::Failed || state_ == State::Ready || state_ == State::Offered) return;
  if (checkDeadlineMs_ == 0) checkDeadlineMs_ = nowMs + kIceTimeoutMs;
  if (nowMs > checkDeadlineMs_) {
    fail(nominated_ ? "DTLS handshake did not complete" : "no answer to our ICE checks");
    return;
  }
  if (remoteKnown_ && nowMs >= nextCheckMs_) {
    sendCheck();
    nextCheckMs_ = nowMs + (nominated_ ? kRenominateIntervalMs : kCheckIntervalMs);
  }
  if (const auto wait = dtls_.timeout(); wait && wait->count() <= 0) dtls_.onTimeout();
}

void WebRtcPeer::sendCheck() {
  // Transaction id: our index, then random bytes (RFC 8489 §6: 96 bits).
  checkId_[0] = static_cast<uint8_t>(index_ >> 24);
  checkId_[1] = static_cast<uint8_t>(index_ >> 16);
  checkId_[2] = static_cast<uint8_t>(index_ >> 8);
  checkId_[3] = static_cast<uint8_t>(index_);
  const uint64_t r = nextRandom(rng_);
  std::memcpy(checkId_.data() + 4, &r, 8);
  std::array<uint8_t, 256> out{};
  StunWriter w(out);
  // Priority of a peer-reflexive candidate of ours (RFC 8445 §5.1.2.1, §7.1.1).
  const uint32_t priority = (110u << 24) | (65535u << 8) | 255u;
  if (!w.begin(StunMethod::kBinding, StunClass::Request, checkId_) ||
      !w.addUsername(remoteUfrag_ + ":" + localUfrag_) || !w.addPriority(priority) ||
      !w.addIceControlling(tieBreaker_) || !w.addUseCandidate() ||
      !w.addMessageIntegrity(remotePassword_) || !w.addFingerprint()) {
    return;
  }
  sendTo(w.bytes());
  ++checksSent_;
}

std::string WebRtcPeer::describe() const {
  static constexpr const char* kDtlsStates[] = {"new", "connecting", "connected", "failed",
                                                "closed"};
  return "ice requests answered " + std::to_string(requestsAnswered_) + ", checks sent " +
         std::to_string(checksSent_) + ", successes " + std::to_string(successes_) + ", dtls " +
         kDtlsStates[static_cast<int>(dtls_.state())] + (weAreServer_ ? " server" : " client");
}

void WebRtcPeer::sendTo(std::span<const uint8_t> datagram) {
  if (!remoteKnown_) return;
  ::sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&remote_),
           sizeof remote_);
}

bool WebRtcPeer::unprotect(uint8_t* packet, size_t& length) {
  return srtp_ && srtp_->unprotectRtp(packet, length) == media::rtc::SrtpResult::Ok;
}

bool WebRtcPeer::protect(uint8_t* packet, size_t& length, size_t capacity) {
  return srtp_ && srtp_->protectRtp(packet, length, capacity) == media::rtc::SrtpResult::Ok;
}

void WebRtcPeer::onDtlsSend(media::rtc::DtlsTransport&, std::span<const uint8_t> datagram) {
  sendTo(datagram);
}

void WebRtcPeer::onDtlsConnected(media::rtc::DtlsTransport&, const media::rtc::SrtpKeys& keys) {
  std::string error;
  srtp_ = media::rtc::SrtpSession::create(keys, &error);
  if (!srtp_) {
    fail("SRTP: " + error);
    return;
  }
  state_ = State::Ready;
}

void WebRtcPeer::onDtlsFailed(media::rtc::DtlsTransport&, std::string_view reason) {
  fail("DTLS: " + std::string(reason));
}

void WebRtcPeer::onDtlsClosed(media::rtc::DtlsTransport&) {}

void WebRtcPeer::fail(std::string reason) {
  if (state_ == State::Failed) return;
  state_ = State::Failed;
  failure_ = std::move(reason);
}

}  // namespace callgate::bench
