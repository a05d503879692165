#pragma once
// RFC 3261 §17 transactions (with the RFC 6026 Accepted states) and the
// receive path of the SIP stack: parse, answer bad requests with 400, stamp
// received/rport (RFC 3581), match requests and responses to transactions,
// and retransmit over unreliable transports.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/Clock.h"
#include "core/TimerQueue.h"
#include "sip/msg/MessageBuilder.h"
#include "sip/msg/SipMessage.h"
#include "sip/txn/Transaction.h"

namespace callgate::core {
class Random;
}

namespace callgate::sip {

class TransactionLayer;

// A request we received and answer. References stay valid until the
// transaction ends; keep the id and look it up again across callbacks.
class ServerTransaction {
 public:
  const SipMessage& request() const { return request_; }
  const RequestSource& source() const { return source_; }
  ServerTransactionId id() const { return id_; }
  // Sends a response built with makeResponse(request(), ...). The layer
  // retransmits it as the state machine requires.
  void respond(const MessageBuilder& response);
  bool finalSent() const { return finalStatus_ >= 200; }

 private:
  friend class TransactionLayer;
  ServerTransaction(TransactionLayer& layer, ServerTransactionId id, SipMessage request,
                    RequestSource source, OutboundTarget responseTarget)
      : layer_(layer),
        id_(id),
        request_(std::move(request)),
        source_(std::move(source)),
        responseTarget_(std::move(responseTarget)) {}

  enum class State { Trying, Proceeding, Accepted, Completed, Confirmed, Terminated };

  TransactionLayer& layer_;
  ServerTransactionId id_;
  SipMessage request_;
  RequestSource source_;
  OutboundTarget responseTarget_;
  State state_ = State::Trying;
  bool isInvite_ = false;
  int finalStatus_ = 0;
  std::string lastResponse_;
  std::string toTag2xx_;
  core::TimerId timerRetransmit_ = 0;
  core::TimerId timerEnd_ = 0;
  core::TimerId timerTrying_ = 0;
  core::Duration interval_{};
  std::string key_;
  std::string mergeKey_;
};

class TransactionLayer {
 public:
  // The transaction user: the B2BUA.
  class User {
   public:
    virtual ~User() = default;
    // A new request (not ACK, not CANCEL).
    virtual void onRequest(ServerTransactionId txn, const SipMessage& request) = 0;
    // A CANCEL matched the INVITE transaction `inviteTxn`; the layer already
    // answered the CANCEL with 200. The user answers the INVITE with 487.
    virtual void onCancel(ServerTransactionId inviteTxn, const SipMessage& cancel) = 0;
    // An ACK for a 2xx (it has no transaction of its own).
    virtual void onAck(const SipMessage& ack, const RequestSource& source) = 0;
    // We answered an INVITE with 2xx and no ACK came within 64*T1.
    virtual void onAckTimeout(ServerTransactionId txn) = 0;
    // A response no client transaction wants (a 2xx retransmission after the
    // INVITE transaction ended): the dialog re-sends its ACK.
    virtual void onStrayResponse(const SipMessage& response) = 0;
  };

  struct Settings {
    core::Duration t1 = std::chrono::milliseconds(500);
    core::Duration t2 = std::chrono::seconds(4);
    core::Duration t4 = std::chrono::seconds(5);
    ParseLimits limits;
    std::string userAgent = "Callgate";
  };

  TransactionLayer(core::TimerQueue& timers, PacketSender& sender, User& user, core::Random& random,
                   Settings settings);
  ~TransactionLayer();
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  void setSettings(Settings settings) { settings_ = std::move(settings); }
  const Settings& settings() const { return settings_; }

  // Receive path.
  void onTransportPacket(InboundPacket&& packet);
  // The transport could not deliver to `target` after send() returned Queued.
  void onSendFailed(const OutboundTarget& target, std::string_view reason);

  ClientTransactionId sendRequest(OutgoingRequest request, const OutboundTarget& target,
                                  ClientTransaction::Listener& listener);
  // CANCEL for a pending INVITE (RFC 3261 §9.1): sent once a provisional
  // response arrived; nothing if the final response came first.
  void cancel(ClientTransactionId txn);
  // The listener is not called again; the transaction itself runs to its end.
  void abandon(ClientTransactionId txn);
  // ACK for a 2xx: a new branch and no transaction (§13.2.2.4, §17.1.1.3).
  void sendAck(OutgoingRequest ack, const OutboundTarget& target);

  ServerTransaction* findServer(ServerTransactionId txn);
  void respondStateless(const SipMessage& request, const MessageBuilder& response,
                        const RequestSource& source);

  size_t serverCount() const { return servers_.size(); }
  size_t clientCount() const { return clients_.size(); }

 private:
  friend class ServerTransaction;
  struct Client;

  void onRequest(SipMessage request, RequestSource source);
  void onResponse(const SipMessage& response);
  void serverRespond(ServerTransaction& txn, const MessageBuilder& response);
  void serverSend(ServerTransaction& txn);
  void serverRetransmit(ServerTransactionId id);
  void terminateServer(ServerTransaction& txn);
  void terminateClient(Client& client);
  void reap();
  void scheduleReap();
  void clientTimerA(ClientTransactionId id);
  void clientTimeout(ClientTransactionId id);
  void clientFail(ClientTransactionId id, std::string reason);
  void sendCancelFor(Client& invite);
  OutboundTarget responseTargetFor(const SipMessage& request, const RequestSource& source,
                                   const Via& via) const;
  std::string viaFor(const OutboundTarget& target, const std::string& branch) const;
  std::string buildRequest(const OutgoingRequest& request, const std::string& via) const;

  // passed in
  core::TimerQueue& timers_;
  PacketSender& sender_;
  User& user_;
  core::Random& random_;
  // owned
  Settings settings_;
  uint64_t nextId_ = 1;
  std::unordered_map<ServerTransactionId, std::unique_ptr<ServerTransaction>> servers_;
  std::unordered_map<std::string, ServerTransactionId> serverKeys_;
  std::unordered_map<std::string, ServerTransactionId> mergeKeys_;
  std::unordered_map<ClientTransactionId, std::unique_ptr<Client>> clients_;
  std::unordered_map<std::string, ClientTransactionId> clientKeys_;
  std::vector<ServerTransactionId> deadServers_;
  std::vector<ClientTransactionId> deadClients_;
  core::TimerId reapTimer_ = 0;
};

}  // namespace callgate::sip
