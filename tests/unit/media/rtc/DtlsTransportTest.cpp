#include <boost/test/unit_test.hpp>
#include <cctype>
#include <deque>
#include <thread>
#include <vector>

#include "media/rtc/DtlsIdentity.h"
#include "media/rtc/DtlsTransport.h"

using namespace callgate::media::rtc;

namespace {

// Two transports wired back to back through queues, as two ICE ends would be.
struct Endpoint final : DtlsTransport::Listener {
  std::deque<std::vector<uint8_t>> outbox;
  std::optional<SrtpKeys> keys;
  std::string failure;
  bool closed = false;
  size_t largestDatagram = 0;

  void onDtlsSend(DtlsTransport&, std::span<const uint8_t> datagram) override {
    largestDatagram = std::max(largestDatagram, datagram.size());
    outbox.emplace_back(datagram.begin(), datagram.end());
  }
  void onDtlsConnected(DtlsTransport&, const SrtpKeys& k) override { keys = k; }
  void onDtlsFailed(DtlsTransport&, std::string_view reason) override {
    failure = std::string(reason);
  }
  void onDtlsClosed(DtlsTransport&) override { closed = true; }
};

// Delivers queued datagrams both ways until neither side has anything to say.
void pump(DtlsTransport& a, Endpoint& ea, DtlsTransport& b, Endpoint& eb) {
  for (int round = 0; round < 50 && (!ea.outbox.empty() || !eb.outbox.empty()); ++round) {
    while (!ea.outbox.empty()) {
      auto datagram = std::move(ea.outbox.front());
      ea.outbox.pop_front();
      b.onPacket(datagram);
    }
    while (!eb.outbox.empty()) {
      auto datagram = std::move(eb.outbox.front());
      eb.outbox.pop_front();
      a.onPacket(datagram);
    }
  }
}

struct Pair {
  std::shared_ptr<const DtlsIdentity> idA = DtlsIdentity::generate();
  std::shared_ptr<const DtlsIdentity> idB = DtlsIdentity::generate();
  Endpoint ea, eb;
  DtlsTransport a{*idA, ea};
  DtlsTransport b{*idB, eb};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(dtls_transport)

BOOST_AUTO_TEST_CASE(identity_has_a_sha256_fingerprint) {
  const auto identity = DtlsIdentity::generate();
  BOOST_TEST(identity->fingerprintAlgorithm() == "sha-256");
  // 32 bytes as colon-separated upper-case hex.
  BOOST_TEST(identity->fingerprint().size() == 32u * 3 - 1);
  BOOST_TEST(identity->fingerprint().find_first_not_of("0123456789ABCDEF:") == std::string::npos);
  BOOST_TEST(DtlsIdentity::generate()->fingerprint() != identity->fingerprint());
}

BOOST_AUTO_TEST_CASE(handshake_agrees_mirrored_srtp_keys) {
  Pair p;
  BOOST_TEST(p.a.setRemoteFingerprint("sha-256", p.idB->fingerprint()));
  // Fingerprints compare without regard to case (RFC 8122 §5).
  std::string lower = p.idA->fingerprint();
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BOOST_TEST(p.b.setRemoteFingerprint("SHA-256", lower));
  p.b.start(DtlsRole::Server);
  p.a.start(DtlsRole::Client);
  BOOST_TEST(!p.ea.outbox.empty());  // the ClientHello left at once
  BOOST_TEST(p.eb.outbox.empty());   // a server speaks only when spoken to
  pump(p.a, p.ea, p.b, p.eb);
  BOOST_TEST(p.ea.failure == "");
  BOOST_TEST(p.eb.failure == "");
  BOOST_TEST_REQUIRE(p.ea.keys.has_value());
  BOOST_TEST_REQUIRE(p.eb.keys.has_value());
  BOOST_TEST((p.a.state() == DtlsTransport::State::Connected));
  BOOST_TEST((p.b.state() == DtlsTransport::State::Connected));
  // Our first preference wins when both offer it.
  BOOST_TEST(static_cast<int>(p.ea.keys->profile) == static_cast<int>(SrtpProfile::AeadAes128Gcm));
  BOOST_TEST(p.ea.keys->local == p.eb.keys->remote);
  BOOST_TEST(p.ea.keys->remote == p.eb.keys->local);
  BOOST_TEST(p.ea.keys->local != p.ea.keys->remote);
  BOOST_TEST(p.ea.largestDatagram <= 1200u);
  BOOST_TEST(p.eb.largestDatagram <= 1200u);
}

BOOST_AUTO_TEST_CASE(wrong_fingerprint_fails_without_keys) {
  Pair p;
  const auto stranger = DtlsIdentity::generate();
  BOOST_TEST(p.a.setRemoteFingerprint("sha-256", stranger->fingerprint()));
  BOOST_TEST(p.b.setRemoteFingerprint("sha-256", p.idA->fingerprint()));
  p.b.start(DtlsRole::Server);
  p.a.start(DtlsRole::Client);
  pump(p.a, p.ea, p.b, p.eb);
  BOOST_TEST(!p.ea.keys.has_value());
  BOOST_TEST((p.a.state() == DtlsTransport::State::Failed));
  BOOST_TEST(p.ea.failure.find("fingerprint") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_fingerprint_algorithm_is_refused) {
  Pair p;
  BOOST_TEST(!p.a.setRemoteFingerprint("md5", "00:11"));
}

BOOST_AUTO_TEST_CASE(garbage_during_handshake_fails_cleanly) {
  Pair p;
  BOOST_TEST(p.b.setRemoteFingerprint("sha-256", p.idA->fingerprint()));
  p.b.start(DtlsRole::Server);
  const std::vector<uint8_t> garbage{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 1, 2, 3};
  p.b.onPacket(garbage);
  BOOST_TEST(!p.eb.keys.has_value());
  BOOST_TEST((p.b.state() != DtlsTransport::State::Connected));
}

BOOST_AUTO_TEST_CASE(lost_flight_is_retransmitted_after_the_timeout) {
  Pair p;
  BOOST_TEST(p.a.setRemoteFingerprint("sha-256", p.idB->fingerprint()));
  BOOST_TEST(p.b.setRemoteFingerprint("sha-256", p.idA->fingerprint()));
  p.b.start(DtlsRole::Server);
  p.a.start(DtlsRole::Client);
  p.ea.outbox.clear();  // the ClientHello is lost
  const auto wait = p.a.timeout();
  BOOST_TEST_REQUIRE(wait.has_value());
  BOOST_TEST(wait->count() > 0);
  BOOST_TEST(wait->count() <= 1000);
  std::this_thread::sleep_for(*wait + std::chrono::milliseconds(20));
  p.a.onTimeout();
  BOOST_TEST(!p.ea.outbox.empty());
  pump(p.a, p.ea, p.b, p.eb);
  BOOST_TEST(p.ea.keys.has_value());
  BOOST_TEST(p.eb.keys.has_value());
}

BOOST_AUTO_TEST_CASE(a_released_session_keeps_its_keys_and_ignores_late_datagrams) {
  Pair p;
  BOOST_TEST(p.a.setRemoteFingerprint("sha-256", p.idB->fingerprint()));
  BOOST_TEST(p.b.setRemoteFingerprint("sha-256", p.idA->fingerprint()));
  p.b.start(DtlsRole::Server);
  p.a.start(DtlsRole::Client);
  BOOST_TEST(!p.b.sessionReleased());
  p.b.releaseSession();  // not connected yet: nothing happens
  BOOST_TEST(!p.b.sessionReleased());
  pump(p.a, p.ea, p.b, p.eb);
  BOOST_TEST_REQUIRE(p.eb.keys.has_value());
  p.b.releaseSession();
  BOOST_TEST(p.b.sessionReleased());
  BOOST_TEST((p.b.state() == DtlsTransport::State::Connected));
  BOOST_TEST(!p.b.timeout().has_value());
  // The peer's close_notify (or a retransmitted flight) is no longer taken.
  p.a.close();
  BOOST_TEST_REQUIRE(!p.ea.outbox.empty());
  BOOST_TEST(!p.b.onPacket(p.ea.outbox.front()));
  BOOST_TEST(!p.eb.closed);
  p.b.close();  // sends nothing and does not crash
  BOOST_TEST(p.eb.outbox.empty());
  BOOST_TEST((p.b.state() == DtlsTransport::State::Closed));
}

BOOST_AUTO_TEST_CASE(close_notify_reaches_the_peer) {
  Pair p;
  BOOST_TEST(p.a.setRemoteFingerprint("sha-256", p.idB->fingerprint()));
  BOOST_TEST(p.b.setRemoteFingerprint("sha-256", p.idA->fingerprint()));
  p.b.start(DtlsRole::Server);
  p.a.start(DtlsRole::Client);
  pump(p.a, p.ea, p.b, p.eb);
  p.a.close();
  pump(p.a, p.ea, p.b, p.eb);
  BOOST_TEST(p.eb.closed);
}

BOOST_AUTO_TEST_SUITE_END()
