#pragma once
// The transaction user of callgated: takes every request the transaction layer
// delivers, answers what needs no call (OPTIONS, REGISTER, stray requests),
// routes new INVITEs into Calls and hands in-dialog requests to their Call.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "b2bua/Call.h"
#include "b2bua/CallContext.h"
#include "b2bua/CallmeGate.h"
#include "b2bua/Registrar.h"
#include "sip/txn/TransactionLayer.h"

namespace callgate::config {
class ConfigSnapshot;
struct Peer;
}  // namespace callgate::config

namespace callgate::net::dns {
class SipServerLocator;
}

namespace callgate::b2bua {

class CallManager final : public sip::TransactionLayer::User, public CallContext {
 public:
  CallManager(core::TimerQueue& timers, core::Random& random, sip::PacketSender& sender);
  ~CallManager() override;
  CallManager(const CallManager&) = delete;
  CallManager& operator=(const CallManager&) = delete;

  // The transaction layer is built with this manager as its user; attach closes the loop.
  void attach(sip::TransactionLayer& transactions) { transactions_ = &transactions; }
  // RFC 3263 resolution for peers given by host name; null refuses them.
  void setLocator(net::dns::SipServerLocator* locator) { locator_ = locator; }
  void setConfig(std::shared_ptr<const config::ConfigSnapshot> config);
  // Wall clock for Call Me token times and opening hours (tests inject one).
  using WallClock = std::function<std::chrono::system_clock::time_point()>;
  void setWallClock(WallClock clock) { wallClock_ = std::move(clock); }

  // sip::TransactionLayer::User
  void onRequest(sip::ServerTransactionId txn, const sip::SipMessage& request) override;
  void onCancel(sip::ServerTransactionId inviteTxn, const sip::SipMessage& cancel) override;
  void onAck(const sip::SipMessage& ack, const sip::RequestSource& source) override;
  void onAckTimeout(sip::ServerTransactionId txn) override;
  void onStrayResponse(const sip::SipMessage& response) override;

  void onConnectionClosed(sip::ConnectionId connection);

  // Control plane.
  std::vector<CallSummary> calls() const;
  bool hangup(uint64_t callId);
  size_t callCount() const { return calls_.size(); }
  const Registrar& registrar() const { return registrar_; }
  const CallmeGate& callmeGate() const { return callme_; }
  // Ends every call (shutdown); returns how many were active.
  size_t hangupAll(std::string_view reason);

  // CallContext
  sip::TransactionLayer& transactions() override { return *transactions_; }
  core::TimerQueue& timers() override { return timers_; }
  core::Random& random() override { return random_; }
  const CallSettings& callSettings() const override { return settings_; }
  media::session::MediaEngine* mediaEngine() override { return mediaEngine_; }
  void setMediaEngine(media::session::MediaEngine* engine) { mediaEngine_ = engine; }
  std::optional<sip::LocalContact> localContact(sip::TransportKind kind, int family) override;
  void onOutboundDialog(Call& call) override;
  void onCallFinished(Call& call) override;
  void onCallEvent(const CallEvent& event) override;
  // Where call events go (the control socket's stream); null: nowhere.
  void setEventSink(CallEventSink* sink) { eventSink_ = sink; }

 private:
  void onNewInvite(sip::ServerTransactionId txn, const sip::SipMessage& invite);
  void routeCall(Call& call, const sip::SipMessage& invite);
  void routeCallme(Call& call, const sip::SipMessage& invite, std::string_view buttonId,
                   std::string_view domain, const sip::RequestSource& source);
  void deliverToRegistered(Call& call, CallTarget target, const std::string& user,
                           std::string_view domain);
  void deliverToPeer(Call& call, CallTarget target, const config::Peer& peer,
                     const std::string& user);
  void onRegister(sip::ServerTransactionId txn, const sip::SipMessage& request);
  void respond(sip::ServerTransactionId txn, int status, std::string_view reason,
               const std::vector<std::pair<std::string, std::string>>& extra = {});
  Call* findByDialog(std::string_view callId, std::string_view localTag, Leg** leg);
  void index(Call& call);
  void unindex(Call& call);

  // passed in
  core::TimerQueue& timers_;
  core::Random& random_;
  sip::PacketSender& sender_;
  sip::TransactionLayer* transactions_ = nullptr;
  net::dns::SipServerLocator* locator_ = nullptr;
  // owned
  std::shared_ptr<const config::ConfigSnapshot> config_;
  CallSettings settings_;
  media::session::MediaEngine* mediaEngine_ = nullptr;
  Registrar registrar_;
  CallmeGate callme_;
  WallClock wallClock_ = [] { return std::chrono::system_clock::now(); };
  uint64_t nextCallId_ = 1;
  std::map<uint64_t, std::unique_ptr<Call>> calls_;
  // (Call-ID, our tag) of each leg -> call id
  std::map<std::pair<std::string, std::string>, uint64_t, std::less<>> dialogs_;
  std::map<sip::ServerTransactionId, uint64_t> inviteTxns_;
  std::vector<uint64_t> finished_;
  core::TimerId reapTimer_ = 0;
  CallEventSink* eventSink_ = nullptr;
};

}  // namespace callgate::b2bua
