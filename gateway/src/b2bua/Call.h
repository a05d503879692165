#pragma once
// A call through the gateway: an inbound leg (we are its UAS) and an outbound
// leg (we are its UAC), each a dialog of its own. The call relays offers,
// answers, provisional and final responses, and hangups between the legs;
// everything identifying one side (Call-ID, tags, Via, Contact, Record-Route)
// stays on that side (topology hiding).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "b2bua/CallEvent.h"
#include "b2bua/Leg.h"
#include "core/Clock.h"
#include "core/TimerQueue.h"
#include "media/session/CallMedia.h"
#include "sip/txn/TransactionLayer.h"

namespace callgate::config {
class ConfigSnapshot;
}

namespace callgate::b2bua {

class CallContext;

// What the call was routed to.
struct CallTarget {
  std::string routeName;
  std::string peerName;  // empty for a registered user
  std::string requestUri;
  std::string toUri;
  std::vector<sip::OutboundTarget> targets;  // tried in order
  std::string username;                      // digest credentials toward the peer
  std::string password;
  std::string realm;
  // Media toward the callee, when the gateway anchors the call's media.
  bool calleeIsWebRtc = false;  // a browser registered over WS/WSS
  std::vector<std::string> codecs{"opus", "pcmu", "pcma"};
  bool sdes = false;
  bool rtpLatching = true;
  std::string mediaInterface;
  // Added to the outbound INVITE (Call Me context headers); already sanitised.
  std::vector<std::pair<std::string, std::string>> extraHeaders;
  CallmeInfo callme;  // for call events
};

struct CallSummary {
  uint64_t id = 0;
  std::string state;
  std::string from;
  std::string to;
  std::string route;
  std::string peer;
  std::string inboundTransport;
  std::string outboundTransport;
  int64_t ageSeconds = 0;
  int64_t connectedSeconds = -1;
  std::string media;  // "", "relayed" or "transcoded"
};

class Call final : public sip::ClientTransaction::Listener,
                   public media::session::CallMedia::Listener {
 public:
  // The call starts from an INVITE received on `inviteTxn`.
  Call(uint64_t id, CallContext& context, std::shared_ptr<const config::ConfigSnapshot> config,
       sip::ServerTransactionId inviteTxn, const sip::SipMessage& invite,
       const sip::RequestSource& source);
  ~Call() override;
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  uint64_t id() const { return id_; }
  bool finished() const { return finished_; }
  const Leg& inbound() const { return inbound_; }
  const Leg& outbound() const { return outbound_; }
  CallSummary summary() const;

  // Sends the outbound INVITE to the routed target.
  void start(CallTarget target);
  // Answers the call inside the gateway and sends the caller's audio back
  // (a Call Me button with destination_type "echo": the demo call centre).
  // No outbound dialog exists: the media engine's RTP leg toward the
  // "callee" is given an answer naming its own address, so it hears what it
  // sends and the bridge relays it back to the caller. Needs the caller's
  // offer in the INVITE and the media engine; ends after kEchoTimeLimit.
  void startEcho(CallTarget target);
  static constexpr std::chrono::seconds kEchoTimeLimit{300};
  // Ends the call with `status` before it is answered (routing failures);
  // `extra` headers go on the response (a Reason header, RFC 3326).
  void reject(int status, std::string_view reason,
              const std::vector<std::pair<std::string, std::string>>& extra = {});

  // From the CallManager, for requests within one of our dialogs.
  void onInDialogRequest(Leg& leg, sip::ServerTransactionId txn, const sip::SipMessage& request);
  void onAck(Leg& leg, const sip::SipMessage& ack);
  void onCancel(sip::ServerTransactionId inviteTxn);
  void onAckTimeout(sip::ServerTransactionId txn);
  void onStrayResponse(const sip::SipMessage& response);
  // Hang up from the management side: CANCEL/487 before answer, BYE after.
  void hangup(std::string_view reason);

  Leg* legByTag(std::string_view localTag);

  // sip::ClientTransaction::Listener
  void onResponse(sip::ClientTransactionId txn, const sip::SipMessage& response) override;
  void onTimeout(sip::ClientTransactionId txn) override;
  void onTransportError(sip::ClientTransactionId txn, std::string_view reason) override;

 private:
  // media::session::CallMedia::Listener
  void onMediaEnded(std::string_view reason) override;

  using SdpThen = std::function<void(std::string)>;
  // SDP from `from` on its way to the other leg: through the media engine
  // when the call's media is anchored (the result may come later), as it is
  // when not. `failed` gets a reason for a 488.
  void translateOffer(Leg& from, const std::string& sdp, SdpThen then, SdpThen failed);
  void translateAnswer(Leg& from, const std::string& sdp, SdpThen then, SdpThen failed);
  void translate(bool offer, Leg& from, const std::string& sdp, SdpThen then, SdpThen failed);
  void setUpMedia();
  // Echo calls: `offer` is what the RTP leg offered; its loop answer goes
  // through translateAnswer and `then` gets the answer for the caller.
  void loopEcho(const std::string& offer, SdpThen then, SdpThen failed);
  void answerEcho(const std::string& sdp);
  void reofferEcho(Leg& leg, sip::ServerTransactionId txn, const sip::SipMessage& request);
  void startCallerSessionTimer();
  void finishAnswer(const std::string& sdp);
  void sendDelayedAck(const std::string& sdp);
  void sendRelayedOffer(Leg& to, sip::Method method, const std::string& sdp);
  bool relayDtmf(Leg& from, const sip::SipMessage& info);
  void sendOutboundInvite();
  void onOutboundInviteResponse(const sip::SipMessage& response);
  void onOutboundInviteFailed(int status, std::string_view reason);
  void confirmOutbound(const sip::SipMessage& response);
  void respondInbound(int status, std::string_view reason, std::string_view sdp = {},
                      bool withSessionTimer = false,
                      const std::vector<std::pair<std::string, std::string>>& headers = {});
  void relayReinvite(Leg& from, sip::ServerTransactionId txn, const sip::SipMessage& request);
  void onReinviteResponse(Leg& to, const sip::SipMessage& response);
  void answerRefreshLocally(Leg& leg, sip::ServerTransactionId txn, const sip::SipMessage& request);
  // Restarts `leg`'s session timer for a refresh in `request` (RFC 4028 §9);
  // returns the Session-Expires/Require headers for our 2xx.
  std::vector<std::pair<std::string, std::string>> refreshTimerFrom(Leg& leg,
                                                                    const sip::SipMessage& request);
  void startSessionTimer(Leg& leg, uint32_t seconds, Refresher who);
  void sendRefresh(Leg& leg);
  void sendBye(Leg& leg, std::string_view reason);
  void terminate(std::string_view reason);
  void maybeFinish();
  void publish(CallEventKind kind);
  void respondTo(sip::ServerTransactionId txn, int status, std::string_view reason,
                 const Leg* leg = nullptr, std::string_view sdp = {},
                 const std::vector<std::pair<std::string, std::string>>& extra = {});
  void addCommonHeaders(sip::OutgoingRequest& request) const;
  Leg& other(Leg& leg) { return &leg == &inbound_ ? outbound_ : inbound_; }
  Leg* legForClientTxn(sip::ClientTransactionId txn);

  // passed in
  CallContext& context_;
  // owned
  const uint64_t id_;
  std::shared_ptr<const config::ConfigSnapshot> config_;  // the snapshot the call started with
  Leg inbound_;
  Leg outbound_;
  CallTarget target_;
  std::unique_ptr<sip::SipMessage> inboundInvite_;
  std::unique_ptr<media::session::CallMedia> media_;  // null: SDP passes through unchanged
  std::string inboundFrom_;
  std::string inboundTo_;
  std::string route_;
  core::TimePoint createdAt_;
  core::TimePoint connectedAt_{};
  bool finished_ = false;
  bool cancelled_ = false;
  bool offered_ = false;  // "offered" went out: "ended" follows
  bool echo_ = false;     // answered by the gateway itself (startEcho)
  core::TimerId echoLimit_ = 0;
  int finalStatus_ = 0;  // the final status sent to the caller, when not 200
  std::string endReason_;
  std::string clientAddress_;
};

}  // namespace callgate::b2bua
