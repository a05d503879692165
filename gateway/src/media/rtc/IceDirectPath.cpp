#include "media/rtc/IceDirectPath.h"

#include <openssl/rand.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "media/stun/StunMessage.h"

namespace callgate::media::rtc {
namespace {

using stun::StunClass;
using stun::StunMessage;
using stun::StunMethod;
using stun::StunWriter;

// Large enough for a Binding request or response with the ICE attributes,
// a 513-byte USERNAME included (RFC 8489 §14.3).
constexpr size_t kMessageCapacity = 640;
// Peer-reflexive priority of our host candidate (RFC 8445 §7.1.1, §5.1.2.1):
// type preference 110, local preference 65535, component 1.
constexpr uint32_t kCheckPriority = (110u << 24) | (65535u << 8) | (256u - 1u);

}  // namespace

IceDirectPath::IceDirectPath(int fd, const net::SocketAddress& remote, IceCredentials credentials,
                             bool controlling, IceConsentTiming timing, int64_t nowUs)
    : fd_(fd),
      remote_(remote),
      credentials_(std::move(credentials)),
      controlling_(controlling),
      timing_(timing),
      expectedUsernamePrefix_(credentials_.localUfrag + ":"),
      consentUsername_(credentials_.remoteUfrag + ":" + credentials_.localUfrag),
      // libnice has just seen the nominated pair answer: consent is fresh.
      lastConsentUs_(nowUs) {
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&random_), sizeof random_) != 1) {
    random_ = static_cast<uint64_t>(nowUs) ^ reinterpret_cast<uintptr_t>(this);
  }
  tieBreaker_ = nextRandom();
}

uint64_t IceDirectPath::nextRandom() {
  // xorshift64*: only spreads timing and fills fields MESSAGE-INTEGRITY
  // protects; transaction ids are drawn from OpenSSL.
  random_ ^= random_ >> 12;
  random_ ^= random_ << 25;
  random_ ^= random_ >> 27;
  return random_ * 0x2545F4914F6CDD1DULL;
}

IceDirectPath::Verdict IceDirectPath::onDatagram(std::span<const uint8_t> datagram,
                                                 const net::SocketAddress& from, int64_t nowUs) {
  // RFC 7983: a first byte of 0..3 is STUN; everything else is the caller's.
  if (datagram.empty() || datagram[0] > 3) return Verdict::Media;
  const auto message = StunMessage::parse(datagram);
  if (!message || message->method() != StunMethod::kBinding) return Verdict::Rejected;
  switch (message->messageClass()) {
    case StunClass::Request:
      return onRequest(*message, from);
    case StunClass::Success:
      return onResponse(*message, from, nowUs);
    case StunClass::Indication:
      return Verdict::Handled;  // a keep-alive (RFC 8445 §11): nothing to do
    case StunClass::Error:
      break;
  }
  return Verdict::Rejected;
}

IceDirectPath::Verdict IceDirectPath::onRequest(const StunMessage& request,
                                                const net::SocketAddress& from) {
  const auto username = request.username();
  // RFC 8445 §7.3: the USERNAME names our ufrag first; the password is ours.
  if (!request.hasFingerprint() || !request.verifyFingerprint() || !username ||
      !username->starts_with(expectedUsernamePrefix_) ||
      !request.verifyMessageIntegrity(credentials_.localPassword)) {
    return Verdict::Rejected;
  }
  std::array<uint8_t, kMessageCapacity> buffer;
  StunWriter response(buffer);
  if (!response.begin(StunMethod::kBinding, StunClass::Success, request.transactionId()) ||
      !response.addXorMappedAddress(from) ||
      !response.addMessageIntegrity(credentials_.localPassword) || !response.addFingerprint()) {
    return Verdict::Rejected;
  }
  sendTo(response.bytes(), from);
  ++checksAnswered_;
  // The controlling peer nominated the pair from `from` to this socket
  // (RFC 8445 §8.1.1): media goes there from now on.
  if (request.useCandidate() && !(from == remote_)) remote_ = from;
  return Verdict::Handled;
}

IceDirectPath::Verdict IceDirectPath::onResponse(const StunMessage& response,
                                                 const net::SocketAddress& from, int64_t nowUs) {
  const auto id = response.transactionId();
  const bool ours = std::any_of(outstanding_.begin(), outstanding_.end(), [&](const auto& slot) {
    return std::equal(slot.begin(), slot.end(), id.begin());
  });
  // RFC 7675 §5.1: a consent response must come from where the check went,
  // be one of our transactions and carry the peer's integrity.
  if (!ours || !(from == remote_) ||
      !response.verifyMessageIntegrity(credentials_.remotePassword)) {
    return Verdict::Rejected;
  }
  lastConsentUs_ = nowUs;
  ++consentResponses_;
  return Verdict::ConsentRefreshed;
}

int64_t IceDirectPath::sendConsentCheck(int64_t nowUs) {
  auto& id = outstanding_[nextSlot_];
  nextSlot_ = (nextSlot_ + 1) % kOutstanding;
  if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) {
    for (auto& byte : id) byte = static_cast<uint8_t>(nextRandom());
  }
  std::array<uint8_t, kMessageCapacity> buffer;
  StunWriter request(buffer);
  const bool written =
      request.begin(StunMethod::kBinding, StunClass::Request, id) &&
      request.addUsername(consentUsername_) && request.addPriority(kCheckPriority) &&
      (controlling_ ? request.addIceControlling(tieBreaker_)
                    : request.addIceControlled(tieBreaker_)) &&
      request.addMessageIntegrity(credentials_.remotePassword) && request.addFingerprint();
  if (written) {
    sendTo(request.bytes(), remote_);
    ++consentSent_;
  }
  // RFC 7675 §5.1: uniformly within 0.8 to 1.2 times the interval.
  const int64_t spread = timing_.intervalUs * 2 / 5;
  const int64_t jitter =
      spread > 0 ? static_cast<int64_t>(nextRandom() % static_cast<uint64_t>(spread)) : 0;
  return nowUs + timing_.intervalUs * 4 / 5 + jitter;
}

void IceDirectPath::sendTo(std::span<const uint8_t> message, const net::SocketAddress& to) const {
  // A lost answer or check is what STUN retransmission and the next
  // consent round are for.
  [[maybe_unused]] const auto sent =
      sendto(fd_, message.data(), message.size(), MSG_DONTWAIT, to.sockaddrPtr(), to.length());
}

}  // namespace callgate::media::rtc
