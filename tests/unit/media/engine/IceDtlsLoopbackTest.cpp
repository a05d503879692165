// Two ICE agents on one media worker connect over loopback, run DTLS over
// the selected pair and exchange SRTP: the WebRTC transport stack end to end.

#include <boost/test/unit_test.hpp>
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "media/engine/DatagramBatch.h"
#include "media/engine/GlibContext.h"
#include "media/engine/MediaWorker.h"
#include "media/rtc/DtlsIdentity.h"
#include "media/rtc/DtlsTransport.h"
#include "media/rtc/IceAgent.h"
#include "media/rtc/SrtpSession.h"

using namespace callgate::media;
using namespace callgate::media::rtc;
using namespace std::chrono_literals;

namespace {

struct Side final : IceAgent::Listener, DtlsTransport::Listener {
  std::shared_ptr<const DtlsIdentity> identity = DtlsIdentity::generate();
  std::unique_ptr<IceAgent> ice;
  std::unique_ptr<DtlsTransport> dtls;
  std::unique_ptr<SrtpSession> srtp;
  bool gathered = false;
  IceState state = IceState::New;
  std::vector<std::vector<uint8_t>> media;  // decrypted RTP received
  std::function<void()> onProgress;
  // Where a served pair's socket is read, as WebRtcLeg does it.
  engine::MediaWorker* worker = nullptr;
  engine::GlibContext* glib = nullptr;

  bool onIceClaimSocket(IceAgent&, int fd) override {
    return glib->claim(fd, [this, fd](uint32_t) {
      worker->receiveBatch().drain(
          fd, [&](std::span<uint8_t> datagram, const callgate::net::SocketAddress& from, bool) {
            ice->receiveDirect(datagram, from);
          });
    });
  }
  void onIceReleaseSocket(IceAgent&, int fd) override { glib->release(fd); }

  void onIceGatheringDone(IceAgent&) override {
    gathered = true;
    onProgress();
  }
  void onIceStateChanged(IceAgent&, IceState s) override {
    state = s;
    onProgress();
  }
  void onIcePacket(IceAgent&, std::span<uint8_t> datagram) override {
    const uint8_t first = datagram[0];
    if (first >= 20 && first <= 63) {
      dtls->onPacket(datagram);
    } else if (first >= 128 && first <= 191 && srtp) {
      std::vector<uint8_t> copy(datagram.begin(), datagram.end());
      size_t length = copy.size();
      if (srtp->unprotectRtp(copy.data(), length) == SrtpResult::Ok) {
        copy.resize(length);
        media.push_back(copy);
        onProgress();
      }
    }
  }
  void onDtlsSend(DtlsTransport&, std::span<const uint8_t> datagram) override {
    ice->send(datagram);
  }
  void onDtlsConnected(DtlsTransport&, const SrtpKeys& keys) override {
    std::string error;
    srtp = SrtpSession::create(keys, &error);
    onProgress();
  }
  void onDtlsFailed(DtlsTransport&, std::string_view) override { onProgress(); }
  void onDtlsClosed(DtlsTransport&) override {}
};

IceSettings loopback(std::string advertised = {}) {
  IceSettings s;
  s.addresses.push_back({"127.0.0.1", std::move(advertised)});
  s.portMin = 0;
  s.portMax = 0;
  return s;
}

// Runs the whole exchange on the worker; returns the payloads B decrypted.
struct Loopback {
  engine::MediaWorker worker{0};
  Side a, b;
  std::promise<void> done;
  bool finished = false;
  bool exchanged = false;
  bool dtlsStarted = false;
  bool sent = false;

  void progress() {
    if (finished) return;
    if (!exchanged && a.gathered && b.gathered) {
      exchanged = true;
      b.ice->setRemote(a.ice->localUfrag(), a.ice->localPassword(), a.ice->localCandidates());
      a.ice->setRemote(b.ice->localUfrag(), b.ice->localPassword(), b.ice->localCandidates());
    }
    if (!dtlsStarted && a.state == IceState::Connected && b.state == IceState::Connected) {
      dtlsStarted = true;
      a.dtls->setRemoteFingerprint("sha-256", b.identity->fingerprint());
      b.dtls->setRemoteFingerprint("sha-256", a.identity->fingerprint());
      b.dtls->start(DtlsRole::Server);
      a.dtls->start(DtlsRole::Client);
    }
    if (!sent && a.srtp && b.srtp) {
      sent = true;
      for (uint16_t seq = 1; seq <= 5; ++seq) {
        uint8_t packet[200] = {0x80, 0, 0, static_cast<uint8_t>(seq), 0, 0, 0, 160, 1, 2, 3, 4};
        packet[12] = static_cast<uint8_t>(seq * 11);
        size_t length = 13;
        a.srtp->protectRtp(packet, length, sizeof packet);
        a.ice->send({packet, length});
      }
    }
    if (b.media.size() == 5 || a.state == IceState::Failed || b.state == IceState::Failed ||
        (a.dtls && a.dtls->state() == DtlsTransport::State::Failed)) {
      finished = true;
      done.set_value();
    }
  }

  void run(IceSettings settingsA, IceSettings settingsB) {
    worker.start();
    a.onProgress = b.onProgress = [this] { progress(); };
    worker.runAndWait([&] {
      // Each agent on a context of its own, driven by the worker, as WebRtcLeg does.
      glibA = std::make_unique<engine::GlibContext>(worker);
      glibB = std::make_unique<engine::GlibContext>(worker);
      a.worker = b.worker = &worker;
      a.glib = glibA.get();
      b.glib = glibB.get();
      a.ice = std::make_unique<IceAgent>(glibA->get(), a, settingsA, true);
      b.ice = std::make_unique<IceAgent>(glibB->get(), b, settingsB, false);
      a.dtls = std::make_unique<DtlsTransport>(*a.identity, a);
      b.dtls = std::make_unique<DtlsTransport>(*b.identity, b);
      BOOST_TEST_REQUIRE(a.ice->ok());
      BOOST_TEST_REQUIRE(b.ice->ok());
      a.ice->gather();
      b.ice->gather();
    });
    auto finishedFuture = done.get_future();
    BOOST_TEST((finishedFuture.wait_for(15s) == std::future_status::ready));
  }

  // Sends `count` SRTP packets from A to B on the worker.
  void sendFromA(uint16_t firstSeq, uint16_t count) {
    worker.runAndWait([&] {
      for (uint16_t seq = firstSeq; seq < firstSeq + count; ++seq) {
        uint8_t packet[200] = {
            0x80, 0, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq), 0, 0, 0, 160, 1, 2,
            3,    4};
        packet[12] = static_cast<uint8_t>(seq * 11);
        size_t length = 13;
        a.srtp->protectRtp(packet, length, sizeof packet);
        a.ice->send({packet, length});
      }
    });
  }

  // Polls `condition` on the worker until it holds or `limit` passes.
  bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      bool met = false;
      worker.runAndWait([&] { met = condition(); });
      if (met) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  ~Loopback() {
    worker.runAndWait([&] {
      if (glibA) glibA->releaseAll();
      if (glibB) glibB->releaseAll();
      a.dtls.reset();
      b.dtls.reset();
      a.ice.reset();
      b.ice.reset();
      glibA.reset();
      glibB.reset();
    });
  }

  std::unique_ptr<engine::GlibContext> glibA, glibB;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ice_dtls_loopback)

BOOST_AUTO_TEST_CASE(agents_connect_handshake_and_carry_srtp) {
  Loopback loop;
  loop.run(loopback(), loopback());
  BOOST_TEST((loop.a.state == IceState::Connected));
  BOOST_TEST((loop.b.state == IceState::Connected));
  // Host pairs on UDP: media leaves through the selected socket directly.
  loop.worker.runAndWait([&] {
    BOOST_TEST(loop.a.ice->sendsDirect());
    BOOST_TEST(loop.b.ice->sendsDirect());
  });
  BOOST_TEST_REQUIRE(loop.b.media.size() == 5u);
  for (size_t i = 0; i < 5; ++i) {
    BOOST_TEST(loop.b.media[i].size() == 13u);
    BOOST_TEST(loop.b.media[i][12] == (i + 1) * 11);
  }
}

BOOST_AUTO_TEST_CASE(served_pairs_carry_media_and_keep_consent_until_the_peer_goes) {
  IceSettings settings = loopback();
  settings.serveSelectedPair = true;
  settings.consent = {.intervalUs = 200'000, .expiryUs = 1'000'000};
  Loopback loop;
  loop.run(settings, settings);
  BOOST_TEST_REQUIRE(loop.b.media.size() == 5u);
  // Once libnice has finished its checks, each side reads its selected
  // pair's socket itself.
  BOOST_TEST_REQUIRE(loop.waitFor(
      [&] { return loop.a.ice->servesSelectedPair() && loop.b.ice->servesSelectedPair(); }, 5s));
  loop.sendFromA(6, 5);
  BOOST_TEST_REQUIRE(loop.waitFor([&] { return loop.b.media.size() == 10u; }, 2s));
  BOOST_TEST(loop.b.media[9][12] == static_cast<uint8_t>(10 * 11));
  // Each side answers the other's consent checks: consent stays fresh for
  // well past the expiry time.
  std::this_thread::sleep_for(1500ms);
  loop.worker.runAndWait([&] {
    BOOST_TEST(loop.a.ice->directPath()->consentResponses() >= 3u);
    BOOST_TEST(loop.b.ice->directPath()->consentResponses() >= 3u);
    BOOST_TEST((loop.a.state == IceState::Connected));
    BOOST_TEST((loop.b.state == IceState::Connected));
    BOOST_TEST(loop.a.ice->rejectedStun() == 0u);
  });
  // B goes away without a word: A loses consent within the expiry time
  // (plus one check interval) and says so.
  loop.worker.runAndWait([&] {
    loop.glibB->releaseAll();
    loop.b.dtls.reset();
    loop.b.ice.reset();
  });
  const auto lost = std::chrono::steady_clock::now();
  BOOST_TEST(loop.waitFor([&] { return loop.a.state == IceState::Failed; }, 3s));
  BOOST_TEST((std::chrono::steady_clock::now() - lost >= 700ms));
  loop.worker.runAndWait([&] { BOOST_TEST(!loop.a.ice->servesSelectedPair()); });
}

BOOST_AUTO_TEST_CASE(credentials_and_candidates_are_well_formed) {
  engine::MediaWorker worker(1);
  worker.start();
  Side side;
  std::promise<void> gathered;
  side.onProgress = [&] {
    if (side.gathered) {
      side.gathered = false;
      gathered.set_value();
    }
  };
  worker.runAndWait([&] {
    side.ice = std::make_unique<IceAgent>(worker.context(), side, loopback("192.0.2.10"), false);
    side.ice->gather();
  });
  BOOST_TEST_REQUIRE((gathered.get_future().wait_for(5s) == std::future_status::ready));
  worker.runAndWait([&] {
    // RFC 8445 §5.3: ufrag ≥ 4 and password ≥ 22 characters.
    BOOST_TEST(side.ice->localUfrag().size() >= 4u);
    BOOST_TEST(side.ice->localPassword().size() >= 22u);
    const auto candidates = side.ice->localCandidates();
    BOOST_TEST_REQUIRE(!candidates.empty());
    for (const auto& c : candidates) {
      BOOST_TEST_MESSAGE(c);
      BOOST_TEST_INFO(c);
      BOOST_TEST(c.starts_with("candidate:"));
      // The advertised (1:1 NAT) address replaces the bound one.
      BOOST_TEST(c.find("192.0.2.10") != std::string::npos);
      BOOST_TEST(c.find("127.0.0.1") == std::string::npos);
      BOOST_TEST(c.find(" typ host") != std::string::npos);
    }
    const std::string oldUfrag = side.ice->localUfrag();
    BOOST_TEST(side.ice->restart());
    BOOST_TEST(side.ice->localUfrag() != oldUfrag);
    // Garbage and TCP candidates from a peer are skipped, not fatal.
    const auto accepted = side.ice->setRemote(
        "abcd", "0123456789012345678901",
        {"candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host", "candidate:garbage",
         "candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active"});
    BOOST_TEST(accepted == 1u);
    BOOST_TEST(side.ice->skippedRemoteCandidates() == 2u);
    side.ice.reset();
  });
}

BOOST_AUTO_TEST_SUITE_END()
