#pragma once
// A transaction layer on a fake clock, sending into a recorder instead of
// sockets, so timer behaviour is checked to the millisecond.

#include <string>
#include <vector>

#include "../msg/SipPrinters.h"
#include "core/Clock.h"
#include "core/Random.h"
#include "core/TimerQueue.h"
#include "sip/msg/SipMessage.h"
#include "sip/txn/TransactionLayer.h"

namespace callgate::sip::test {

struct Sent {
  OutboundTarget target;
  std::string bytes;
  core::TimePoint at;
  SipMessage message() const { return *SipMessage::parse(bytes).message; }
};

class RecordingSender final : public PacketSender {
 public:
  explicit RecordingSender(const core::Clock& clock) : clock_(clock) {}
  SendStatus send(const OutboundTarget& target, std::string bytes) override {
    sent.push_back({target, std::move(bytes), clock_.now()});
    return status;
  }
  std::optional<LocalContact> localContact(TransportKind, int) const override {
    return LocalContact{"192.0.2.100", 5060, "udp"};
  }
  std::vector<Sent> sent;
  SendStatus status = SendStatus::Sent;

 private:
  const core::Clock& clock_;
};

class RecordingUser final : public TransactionLayer::User {
 public:
  void onRequest(ServerTransactionId txn, const SipMessage& request) override {
    requests.push_back(txn);
    methods.emplace_back(request.methodName());
  }
  void onCancel(ServerTransactionId txn, const SipMessage&) override { cancels.push_back(txn); }
  void onAck(const SipMessage&, const RequestSource&) override { ++acks; }
  void onAckTimeout(ServerTransactionId txn) override { ackTimeouts.push_back(txn); }
  void onStrayResponse(const SipMessage& r) override { strays.push_back(r.statusCode()); }
  std::vector<ServerTransactionId> requests, cancels, ackTimeouts;
  std::vector<std::string> methods;
  std::vector<int> strays;
  int acks = 0;
};

class RecordingListener final : public ClientTransaction::Listener {
 public:
  void onResponse(ClientTransactionId, const SipMessage& r) override {
    statuses.push_back(r.statusCode());
  }
  void onTimeout(ClientTransactionId) override { ++timeouts; }
  void onTransportError(ClientTransactionId, std::string_view) override { ++errors; }
  std::vector<int> statuses;
  int timeouts = 0;
  int errors = 0;
};

struct TxnFixture {
  core::FakeClock clock;
  core::TimerQueue timers{clock};
  core::FakeRandom random{7};
  RecordingSender sender{clock};
  RecordingUser user;
  TransactionLayer layer{timers, sender, user, random, TransactionLayer::Settings{}};
  core::TimePoint start = clock.now();

  void advance(std::chrono::milliseconds ms) {
    // Step in 10 ms increments so timers fire at their own due times.
    for (auto left = ms; left.count() > 0; left -= std::chrono::milliseconds(10)) {
      clock.advance(std::min(left, std::chrono::milliseconds(10)));
      timers.runDue();
    }
  }
  void receive(const std::string& text, TransportKind kind = TransportKind::Udp,
               const char* from = "198.51.100.7:5062", ConnectionId connection = 0) {
    InboundPacket p;
    p.bytes = text;
    p.kind = kind;
    p.source = *net::SocketAddress::parse(from);
    p.local = *net::SocketAddress::parse("192.0.2.100:5060");
    p.connection = connection;
    p.listenerName = "udp";
    layer.onTransportPacket(std::move(p));
    timers.runDue();
  }
  std::vector<long> sentTimesMs() const {
    std::vector<long> out;
    for (const auto& s : sender.sent) {
      out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(s.at - start).count());
    }
    return out;
  }
};

inline std::string request(const std::string& method, const std::string& branch = "z9hG4bKb1",
                           const std::string& extra = "", const std::string& via = "") {
  const std::string cseqMethod = method == "ACK" || method == "CANCEL" ? method : method;
  return method + " sip:agent@192.0.2.100 SIP/2.0\r\n" +
         (via.empty() ? "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=" + branch + ";rport\r\n"
                      : via) +
         "Max-Forwards: 70\r\nFrom: <sip:alice@shop.example>;tag=f1\r\nTo: "
         "<sip:agent@192.0.2.100>\r\n"
         "Call-ID: call-1\r\nCSeq: 1 " +
         cseqMethod + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
}

}  // namespace callgate::sip::test
