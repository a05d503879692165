// Two ICE agents on one media worker connect over loopback, run DTLS over
// the selected pair and exchange SRTP: the WebRTC transport stack end to end.

#include <boost/test/unit_test.hpp>
#include <future>
#include <memory>
#include <vector>

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

  ~Loopback() {
    worker.runAndWait([&] {
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
