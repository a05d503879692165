// ICE restart (RFC 8445 §9) with a real libnice agent on loopback: a
// scripted peer that speaks STUN from a plain UDP socket, and two IceAgents
// restarting against each other. Everything runs on one GLib context that
// the test iterates itself.

#include <arpa/inet.h>
#include <glib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "media/rtc/IceAgent.h"
#include "media/stun/StunMessage.h"
#include "net/SocketAddress.h"

using namespace callgate::media;
using namespace callgate::media::rtc;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

IceSettings loopback() {
  IceSettings s;
  s.addresses.push_back({"127.0.0.1", ""});
  return s;
}

// Port of the first candidate attribute value ("candidate:f 1 UDP p ip port typ host").
uint16_t candidatePort(const std::string& candidate) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (start < candidate.size()) {
    const size_t end = candidate.find(' ', start);
    fields.push_back(candidate.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return fields.size() > 5 ? static_cast<uint16_t>(std::stoi(fields[5])) : 0;
}

struct Recorder final : IceAgent::Listener {
  int gathered = 0;
  std::vector<IceState> states;
  std::vector<std::string> packets;

  void onIceGatheringDone(IceAgent&) override { ++gathered; }
  void onIceStateChanged(IceAgent&, IceState state) override { states.push_back(state); }
  void onIcePacket(IceAgent&, std::span<uint8_t> datagram) override {
    packets.emplace_back(datagram.begin(), datagram.end());
  }
};

// One GLib context, iterated by the test; `each` runs between iterations
// (the scripted peer reads its socket there).
struct Loop {
  GMainContext* context = g_main_context_new();
  std::function<void()> each;

  ~Loop() {
    while (g_main_context_iteration(context, FALSE)) {
    }
    g_main_context_unref(context);
  }

  bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      while (g_main_context_iteration(context, FALSE)) {
      }
      if (each) each();
      if (done()) return true;
      g_usleep(2000);
    }
    return done();
  }

  void runFor(std::chrono::milliseconds time) {
    runUntil([] { return false; }, time);
  }
};

struct Datagram {
  std::vector<uint8_t> bytes;
  sockaddr_in from{};
  uint16_t fromPort() const { return ntohs(from.sin_port); }
};

// A controlling ICE agent reduced to what the tests need: it answers every
// Binding request, sends nominating checks on demand and keeps everything
// else it receives. Credentials change with restart().
class ScriptedPeer {
 public:
  ScriptedPeer() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t length = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length);
    port_ = ntohs(a.sin_port);
  }
  ~ScriptedPeer() { close(fd_); }
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;

  std::string ufrag = "peerA";
  std::string password = "peer-password-A-0123456789";

  std::string candidate() const {
    return "candidate:1 1 UDP 2130706431 127.0.0.1 " + std::to_string(port_) + " typ host";
  }

  // Reads what arrived: Binding requests are answered and their USERNAME
  // kept, responses to our checks are counted, the rest is media.
  void service() {
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 0) <= 0) return;
      Datagram d;
      d.bytes.resize(2048);
      socklen_t length = sizeof d.from;
      const ssize_t n = recvfrom(fd_, d.bytes.data(), d.bytes.size(), 0,
                                 reinterpret_cast<sockaddr*>(&d.from), &length);
      if (n <= 0) continue;  // ICMP unreachable from a closed port
      d.bytes.resize(static_cast<size_t>(n));
      const auto message = stun::StunMessage::parse(d.bytes);
      if (!message) {
        media.push_back(d);
        continue;
      }
      if (message->messageClass() == stun::StunClass::Request) {
        requests.push_back({std::string(message->username().value_or("")), d.fromPort()});
        respond(*message, d.from);
      } else if (message->messageClass() == stun::StunClass::Success) {
        successFrom.push_back(d.fromPort());
      }
    }
  }

  // A Binding request toward `port` with our credentials for `agentUfrag`
  // / `agentPassword` (RFC 8445 §7.1): PRIORITY, ICE-CONTROLLING and,
  // nominating, USE-CANDIDATE (RFC 8445 §8.1.1).
  void check(uint16_t port, const std::string& agentUfrag, const std::string& agentPassword,
             bool nominate = true) {
    uint8_t buffer[512];
    stun::StunWriter w(buffer);
    stun::TransactionId id{};
    for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<uint8_t>(++transactions_ + i);
    const bool ok = w.begin(stun::StunMethod::kBinding, stun::StunClass::Request, id) &&
                    w.addUsername(agentUfrag + ":" + ufrag) && w.addPriority(1853817087) &&
                    w.addIceControlling(0x1122334455667788ULL) &&
                    (!nominate || w.addUseCandidate()) && w.addMessageIntegrity(agentPassword) &&
                    w.addFingerprint();
    BOOST_TEST_REQUIRE(ok);
    sendTo(port, w.bytes());
  }

  void sendTo(uint16_t port, std::span<const uint8_t> bytes) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(port);
    sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }

  size_t requestsWithUfrag(const std::string& remoteUfrag) const {
    size_t n = 0;
    for (const auto& r : requests) n += r.username.starts_with(remoteUfrag + ":") ? 1 : 0;
    return n;
  }

  struct Request {
    std::string username;
    uint16_t fromPort;
  };
  std::vector<Request> requests;
  std::vector<uint16_t> successFrom;
  std::vector<Datagram> media;

 private:
  void respond(const stun::StunMessage& request, const sockaddr_in& from) {
    uint8_t buffer[512];
    stun::StunWriter w(buffer);
    const auto mapped = callgate::net::SocketAddress::fromSockaddr(
        reinterpret_cast<const sockaddr*>(&from), sizeof from);
    const bool ok =
        w.begin(stun::StunMethod::kBinding, stun::StunClass::Success, request.transactionId()) &&
        w.addXorMappedAddress(mapped) && w.addMessageIntegrity(password) && w.addFingerprint();
    BOOST_TEST_REQUIRE(ok);
    sendto(fd_, buffer, w.size(), 0, reinterpret_cast<const sockaddr*>(&from), sizeof from);
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  uint8_t transactions_ = 0;
};

std::vector<uint8_t> bytesOf(std::string_view text) {
  return {text.begin(), text.end()};
}

bool peerGot(const ScriptedPeer& peer, std::string_view text, uint16_t fromPort) {
  for (const auto& d : peer.media) {
    if (d.fromPort() == fromPort && std::string(d.bytes.begin(), d.bytes.end()) == text) {
      return true;
    }
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ice_agent_restart)

// The gateway's side of a browser's ICE restart, with the scripted peer in
// the browser's place (controlling, the offerer).
BOOST_AUTO_TEST_CASE(answered_restart_uses_new_sockets_and_waits_for_the_peers_check) {
  Loop loop;
  ScriptedPeer peer;
  Recorder events;
  loop.each = [&] { peer.service(); };
  IceAgent agent(loop.context, events, loopback(), false);
  BOOST_TEST_REQUIRE(agent.ok());
  BOOST_TEST_REQUIRE(agent.gather());
  BOOST_TEST_REQUIRE(loop.runUntil([&] { return agent.gatheringDone(); }, 2s));

  // First connection: the peer nominates with USE-CANDIDATE.
  const std::string oldUfrag = agent.localUfrag();
  const std::string oldPassword = agent.localPassword();
  BOOST_TEST_REQUIRE(agent.localCandidates().size() == 1u);
  const uint16_t oldPort = candidatePort(agent.localCandidates().front());
  BOOST_TEST(agent.setRemote(peer.ufrag, peer.password, {peer.candidate()}) == 1u);
  BOOST_TEST_REQUIRE(loop.runUntil(
      [&] {
        peer.check(oldPort, oldUfrag, oldPassword);
        return agent.state() == IceState::Connected;
      },
      5s));
  BOOST_TEST(peer.requestsWithUfrag("peerA") > 0u);

  // The peer restarts: new credentials in a re-offer; we answer.
  peer.ufrag = "peerB";
  peer.password = "peer-password-B-0123456789";
  BOOST_TEST_REQUIRE(agent.restart(IceRestartRole::Answerer));
  BOOST_TEST(agent.restarting());
  BOOST_TEST((agent.state() == IceState::Checking));
  const std::string newUfrag = agent.localUfrag();
  const std::string newPassword = agent.localPassword();
  BOOST_TEST(newUfrag != oldUfrag);
  BOOST_TEST(newPassword != oldPassword);
  BOOST_TEST(agent.gatheringDone());
  BOOST_TEST(agent.candidatesComplete());
  BOOST_TEST(events.gathered == 1);  // the listener hears of the first gathering only
  BOOST_TEST_REQUIRE(agent.localCandidates().size() == 1u);
  const uint16_t newPort = candidatePort(agent.localCandidates().front());
  // New sockets: the answer's candidate is a new transport address.
  BOOST_TEST(newPort != 0);
  BOOST_TEST(newPort != oldPort);
  BOOST_TEST(agent.setRemote(peer.ufrag, peer.password, {peer.candidate()}) == 1u);

  // Until the peer has our answer, we send it no checks with the new
  // credentials ...
  loop.runFor(300ms);
  BOOST_TEST(peer.requestsWithUfrag("peerB") == 0u);
  // ... while the old pair carries media both ways and the old stream still
  // answers the old credentials.
  const auto during = bytesOf("media during the restart");
  BOOST_TEST(agent.send(during));
  peer.sendTo(oldPort, bytesOf("browser media on the old pair"));
  const size_t successesBefore = peer.successFrom.size();
  peer.check(oldPort, oldUfrag, oldPassword);
  BOOST_TEST(loop.runUntil(
      [&] {
        return peerGot(peer, "media during the restart", oldPort) && !events.packets.empty() &&
               peer.successFrom.size() > successesBefore;
      },
      2s));
  BOOST_TEST(events.packets.back() == "browser media on the old pair");
  BOOST_TEST(peer.successFrom.back() == oldPort);

  // The peer's first check of the new stream releases ours; the pair works
  // both ways, but until the peer nominates it the peer still sends on the
  // old pair, which stays open.
  BOOST_TEST_REQUIRE(loop.runUntil(
      [&] {
        peer.check(newPort, newUfrag, newPassword, false);
        return peer.requestsWithUfrag("peerB") > 0u;
      },
      2s));
  loop.runFor(300ms);
  BOOST_TEST(agent.restarting());
  BOOST_TEST(agent.restartsCompleted() == 0u);
  BOOST_TEST((agent.state() == IceState::Checking));
  // Its nomination completes the restart.
  BOOST_TEST_REQUIRE(loop.runUntil(
      [&] {
        peer.check(newPort, newUfrag, newPassword);
        return agent.restartsCompleted() == 1u;
      },
      5s));
  BOOST_TEST(peer.requestsWithUfrag("peerB") > 0u);
  for (const auto& r : peer.requests) {
    if (r.username.starts_with("peerB:")) {
      BOOST_TEST(r.username == "peerB:" + newUfrag);
      BOOST_TEST(r.fromPort == newPort);
    }
  }
  BOOST_TEST(!agent.restarting());
  BOOST_TEST((agent.state() == IceState::Connected));
  BOOST_TEST(agent.selectedPair().starts_with("127.0.0.1:" + std::to_string(newPort) + " -> "));

  // Media now leaves from the new port; the old one is closed.
  BOOST_TEST(agent.send(bytesOf("media after the restart")));
  BOOST_TEST(loop.runUntil([&] { return peerGot(peer, "media after the restart", newPort); }, 2s));
  const size_t successesAfter = peer.successFrom.size();
  peer.check(oldPort, oldUfrag, oldPassword);
  loop.runFor(200ms);
  for (size_t i = successesAfter; i < peer.successFrom.size(); ++i) {
    BOOST_TEST(peer.successFrom[i] != oldPort);
  }
}

// Before any pair was selected there is nothing to keep: the new stream
// simply replaces the old one.
BOOST_AUTO_TEST_CASE(restart_before_connecting_replaces_the_stream) {
  Loop loop;
  Recorder events;
  IceAgent agent(loop.context, events, loopback(), false);
  BOOST_TEST_REQUIRE(agent.gather());
  BOOST_TEST_REQUIRE(loop.runUntil([&] { return agent.gatheringDone(); }, 2s));
  const std::string oldUfrag = agent.localUfrag();
  BOOST_TEST_REQUIRE(agent.restart());
  BOOST_TEST(!agent.restarting());
  BOOST_TEST(agent.localUfrag() != oldUfrag);
  BOOST_TEST(agent.localCandidates().size() == 1u);
  // Nothing selected: nothing to send on.
  BOOST_TEST(!agent.send(bytesOf("x")));
}

// Two agents on one context: the controlling one offers a restart, the
// controlled one answers; both reconnect on new credentials and sockets.
BOOST_AUTO_TEST_CASE(two_agents_restart_and_reconnect) {
  Loop loop;
  Recorder eventsA;
  Recorder eventsB;
  IceAgent a(loop.context, eventsA, loopback(), true);
  IceAgent b(loop.context, eventsB, loopback(), false);
  BOOST_TEST_REQUIRE(a.gather());
  BOOST_TEST_REQUIRE(b.gather());
  BOOST_TEST_REQUIRE(loop.runUntil([&] { return a.gatheringDone() && b.gatheringDone(); }, 2s));
  b.setRemote(a.localUfrag(), a.localPassword(), a.localCandidates());
  a.setRemote(b.localUfrag(), b.localPassword(), b.localCandidates());
  BOOST_TEST_REQUIRE(loop.runUntil(
      [&] { return a.state() == IceState::Connected && b.state() == IceState::Connected; }, 5s));
  const auto oldCandidateA = a.localCandidates().front();
  const auto oldCandidateB = b.localCandidates().front();

  // Offer (A), answer (B), then A learns B's answer.
  BOOST_TEST_REQUIRE(a.restart(IceRestartRole::Offerer));
  BOOST_TEST_REQUIRE(b.restart(IceRestartRole::Answerer));
  b.setRemote(a.localUfrag(), a.localPassword(), a.localCandidates());
  a.setRemote(b.localUfrag(), b.localPassword(), b.localCandidates());
  BOOST_TEST(a.restarting());
  BOOST_TEST(b.restarting());
  BOOST_TEST_REQUIRE(loop.runUntil(
      [&] {
        return a.restartsCompleted() == 1u && b.restartsCompleted() == 1u &&
               a.state() == IceState::Connected && b.state() == IceState::Connected;
      },
      5s));
  BOOST_TEST(a.localCandidates().front() != oldCandidateA);
  BOOST_TEST(b.localCandidates().front() != oldCandidateB);
  const std::string pathA = a.selectedPair();
  const std::string pathB = b.selectedPair();
  BOOST_TEST(
      pathA.starts_with("127.0.0.1:" + std::to_string(candidatePort(a.localCandidates().front()))));
  BOOST_TEST(
      pathB.starts_with("127.0.0.1:" + std::to_string(candidatePort(b.localCandidates().front()))));

  const size_t before = eventsB.packets.size();
  BOOST_TEST(a.send(bytesOf("after")));
  BOOST_TEST(loop.runUntil([&] { return eventsB.packets.size() > before; }, 2s));
  BOOST_TEST(eventsB.packets.back() == "after");
}

BOOST_AUTO_TEST_SUITE_END()
