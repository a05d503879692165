// IceDirectPath on loopback: a served pair's socket answers the peer's
// checks, keeps consent with checks of its own, follows a nomination and
// rejects STUN that fails its checks. The peer is a plain UDP socket that
// speaks STUN written by the test.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>
#include <vector>

#include "media/rtc/IceDirectPath.h"
#include "media/stun/StunMessage.h"
#include "net/SocketAddress.h"

using namespace callgate;
using namespace callgate::media;
using namespace callgate::media::rtc;
using stun::StunClass;
using stun::StunMessage;
using stun::StunMethod;
using stun::StunWriter;

namespace {

constexpr int64_t kSecond = 1'000'000;

struct Socket {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  net::SocketAddress address;

  Socket() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t length = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
    address = net::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&a), length);
  }
  ~Socket() { close(fd); }

  void sendTo(const std::vector<uint8_t>& bytes, const net::SocketAddress& to) const {
    sendto(fd, bytes.data(), bytes.size(), 0, to.sockaddrPtr(), to.length());
  }
  // The next datagram within `waitMs`, and where it came from.
  std::optional<std::vector<uint8_t>> receive(int waitMs = 500,
                                              net::SocketAddress* from = nullptr) const {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, waitMs) != 1) return std::nullopt;
    std::vector<uint8_t> buffer(2048);
    sockaddr_storage source{};
    socklen_t length = sizeof source;
    const auto n = recvfrom(fd, buffer.data(), buffer.size(), 0,
                            reinterpret_cast<sockaddr*>(&source), &length);
    if (n < 0) return std::nullopt;
    buffer.resize(static_cast<size_t>(n));
    if (from)
      *from = net::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&source), length);
    return buffer;
  }
};

const IceCredentials kCredentials{"locU", "local-password-0123456789", "remU",
                                  "remote-password-0123456789"};

stun::TransactionId transaction(uint8_t seed) {
  stun::TransactionId id{};
  for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<uint8_t>(seed + i);
  return id;
}

struct CheckOptions {
  std::string username = "locU:remU";
  std::string key = kCredentials.localPassword;
  bool fingerprint = true;
  bool useCandidate = false;
};

// A connectivity check as the browser sends it to us.
std::vector<uint8_t> check(const stun::TransactionId& id, const CheckOptions& o = {}) {
  std::vector<uint8_t> buffer(512);
  StunWriter w(buffer);
  w.begin(StunMethod::kBinding, StunClass::Request, id);
  w.addUsername(o.username);
  w.addPriority(1853824767);
  w.addIceControlling(42);
  if (o.useCandidate) w.addUseCandidate();
  w.addMessageIntegrity(o.key);
  if (o.fingerprint) w.addFingerprint();
  buffer.resize(w.size());
  return buffer;
}

// The peer's answer to a consent check of ours.
std::vector<uint8_t> answer(const StunMessage& request, const net::SocketAddress& mapped,
                            const std::string& key = kCredentials.remotePassword) {
  std::vector<uint8_t> buffer(512);
  StunWriter w(buffer);
  w.begin(StunMethod::kBinding, StunClass::Success, request.transactionId());
  w.addXorMappedAddress(mapped);
  w.addMessageIntegrity(key);
  w.addFingerprint();
  buffer.resize(w.size());
  return buffer;
}

// The gateway side: a socket served by an IceDirectPath toward `peer`.
struct Served {
  Socket socket;
  IceDirectPath path;

  explicit Served(const net::SocketAddress& peer, int64_t now = 0, bool controlling = false)
      : path(socket.fd, peer, kCredentials, controlling, IceConsentTiming{}, now) {}

  // Reads one datagram from the served socket and hands it to the path.
  std::optional<IceDirectPath::Verdict> pump(int64_t now = 0) {
    net::SocketAddress from;
    const auto bytes = socket.receive(500, &from);
    if (!bytes) return std::nullopt;
    return path.onDatagram(*bytes, from, now);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ice_direct_path)

BOOST_AUTO_TEST_CASE(answers_an_authenticated_check_with_the_mapped_address) {
  Socket peer;
  Served served(peer.address);
  const auto id = transaction(1);
  peer.sendTo(check(id), served.socket.address);
  BOOST_TEST((served.pump() == IceDirectPath::Verdict::Handled));

  const auto reply = peer.receive();
  BOOST_REQUIRE(reply);
  const auto response = StunMessage::parse(*reply);
  BOOST_REQUIRE(response);
  BOOST_TEST((response->messageClass() == StunClass::Success));
  BOOST_TEST(std::equal(id.begin(), id.end(), response->transactionId().begin()));
  BOOST_TEST((response->xorMappedAddress().value() == peer.address));
  BOOST_TEST(response->verifyMessageIntegrity(kCredentials.localPassword));
  BOOST_TEST(response->verifyFingerprint());
  BOOST_TEST(served.path.checksAnswered() == 1u);
}

BOOST_AUTO_TEST_CASE(rejects_checks_that_fail_integrity_username_or_fingerprint) {
  Socket peer;
  Served served(peer.address);
  const std::vector<CheckOptions> bad = {
      {.key = "not-the-password-at-all"},
      {.username = "other:remU"},
      {.username = "locUx:remU"},
      {.fingerprint = false},
  };
  uint8_t seed = 10;
  for (const auto& options : bad) {
    peer.sendTo(check(transaction(seed++), options), served.socket.address);
    BOOST_TEST((served.pump() == IceDirectPath::Verdict::Rejected));
  }
  // Not STUN at all, though its first byte says so.
  peer.sendTo({0x00, 0x01, 0x00, 0x08, 0x21, 0x12}, served.socket.address);
  BOOST_TEST((served.pump() == IceDirectPath::Verdict::Rejected));
  BOOST_TEST(!peer.receive(100));  // nothing answered
  BOOST_TEST(served.path.checksAnswered() == 0u);
}

BOOST_AUTO_TEST_CASE(leaves_media_and_dtls_to_the_caller) {
  Socket peer;
  Served served(peer.address);
  peer.sendTo({0x80, 0x6f, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1}, served.socket.address);  // RTP
  BOOST_TEST((served.pump() == IceDirectPath::Verdict::Media));
  peer.sendTo({22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, served.socket.address);  // DTLS
  BOOST_TEST((served.pump() == IceDirectPath::Verdict::Media));
}

BOOST_AUTO_TEST_CASE(consent_checks_are_signed_for_the_peer_and_answers_keep_consent) {
  Socket peer;
  Served served(peer.address, 0, /*controlling=*/false);
  BOOST_TEST(!served.path.consentExpired(30 * kSecond));
  BOOST_TEST(served.path.consentExpired(30 * kSecond + 1));

  const int64_t next = served.path.sendConsentCheck(20 * kSecond);
  // RFC 7675 §5.1: 0.8 to 1.2 times the 5 s interval.
  BOOST_TEST(next >= 24 * kSecond);
  BOOST_TEST(next <= 26 * kSecond);
  net::SocketAddress from;
  const auto sent = peer.receive(500, &from);
  BOOST_REQUIRE(sent);
  BOOST_TEST((from == served.socket.address));
  const auto request = StunMessage::parse(*sent);
  BOOST_REQUIRE(request);
  BOOST_TEST((request->messageClass() == StunClass::Request));
  BOOST_TEST(request->username().value() == "remU:locU");
  BOOST_TEST(request->verifyMessageIntegrity(kCredentials.remotePassword));
  BOOST_TEST(request->verifyFingerprint());
  BOOST_TEST(request->iceControlled().has_value());
  BOOST_TEST(!request->iceControlling().has_value());

  peer.sendTo(answer(*request, served.socket.address), served.socket.address);
  BOOST_TEST((served.pump(21 * kSecond) == IceDirectPath::Verdict::ConsentRefreshed));
  BOOST_TEST(served.path.consentResponses() == 1u);
  BOOST_TEST(!served.path.consentExpired(51 * kSecond));
  BOOST_TEST(served.path.consentExpired(51 * kSecond + 1));
}

BOOST_AUTO_TEST_CASE(answers_that_are_not_ours_do_not_keep_consent) {
  Socket peer;
  Socket stranger;
  Served served(peer.address);
  served.path.sendConsentCheck(0);
  const auto sent = peer.receive();
  BOOST_REQUIRE(sent);
  const auto request = StunMessage::parse(*sent);
  BOOST_REQUIRE(request);

  // Wrong key, wrong sender, unknown transaction.
  peer.sendTo(answer(*request, served.socket.address, "wrong-key"), served.socket.address);
  BOOST_TEST((served.pump(kSecond) == IceDirectPath::Verdict::Rejected));
  stranger.sendTo(answer(*request, served.socket.address), served.socket.address);
  BOOST_TEST((served.pump(kSecond) == IceDirectPath::Verdict::Rejected));
  auto forged = answer(*request, served.socket.address);
  forged[8] ^= 0xff;  // the transaction id
  peer.sendTo(forged, served.socket.address);
  BOOST_TEST((served.pump(kSecond) == IceDirectPath::Verdict::Rejected));
  BOOST_TEST(served.path.consentResponses() == 0u);
  BOOST_TEST(served.path.consentExpired(31 * kSecond));
}

BOOST_AUTO_TEST_CASE(follows_a_nomination_from_another_peer_address) {
  Socket first;
  Socket second;
  Served served(first.address);
  // A check without USE-CANDIDATE is answered but moves nothing.
  second.sendTo(check(transaction(30)), served.socket.address);
  BOOST_TEST((served.pump() == IceDirectPath::Verdict::Handled));
  BOOST_TEST(second.receive().has_value());
  BOOST_TEST((served.path.remote() == first.address));

  second.sendTo(check(transaction(31), {.useCandidate = true}), served.socket.address);
  BOOST_TEST((served.pump() == IceDirectPath::Verdict::Handled));
  BOOST_TEST(second.receive().has_value());
  BOOST_TEST((served.path.remote() == second.address));

  // A forged nomination moves nothing back.
  first.sendTo(check(transaction(32), {.key = "forged-key-forged-key", .useCandidate = true}),
               served.socket.address);
  BOOST_TEST((served.pump() == IceDirectPath::Verdict::Rejected));
  BOOST_TEST((served.path.remote() == second.address));
}

BOOST_AUTO_TEST_SUITE_END()
