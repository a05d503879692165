#include "b2bua/Call.h"

#include <algorithm>
#include <cctype>

#include "b2bua/CallContext.h"
#include "core/Log.h"
#include "core/Random.h"
#include "media/sdp/SdpParser.h"
#include "media/sdp/SdpWriter.h"
#include "media/session/MediaEngine.h"
#include "media/session/SdpNegotiator.h"
#include "sip/auth/Digest.h"
#include "sip/msg/MessageBuilder.h"

namespace callgate::b2bua {
namespace {

constexpr std::string_view kLogTag = "b2bua.call";
constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO";
constexpr int kMaxAuthAttempts = 3;  // one per stale nonce at most

bool isSdp(const sip::SipMessage& message) {
  const auto type = message.headerValue(sip::HeaderId::ContentType);
  constexpr std::string_view kSdp = "application/sdp";
  if (type.size() < kSdp.size()) return false;
  return std::equal(kSdp.begin(), kSdp.end(), type.begin(), [](char a, char b) {
    return a == std::tolower(static_cast<unsigned char>(b));
  });
}

std::string sdpOf(const sip::SipMessage& message) {
  return isSdp(message) ? std::string(message.body()) : std::string();
}

bool hasOptionTag(const sip::SipMessage& message, sip::HeaderId header, std::string_view tag) {
  for (auto value : message.headerValues(header)) {
    if (value.size() == tag.size() &&
        std::equal(tag.begin(), tag.end(), value.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
  }
  return false;
}

bool allowsMethod(const sip::SipMessage& message, std::string_view method) {
  for (auto value : message.headerValues(sip::HeaderId::Allow)) {
    if (value == method) return true;
  }
  return false;
}

std::string contactUri(const sip::LocalContact& local, sip::TransportKind kind) {
  std::string uri = "sip:gw@" + local.host + ":" + std::to_string(local.port);
  if (kind != sip::TransportKind::Udp) {
    std::string name(sip::transportName(kind));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    uri += ";transport=" + name;
  }
  return uri;
}

const char* stateName(LegState state) {
  switch (state) {
    case LegState::Idle:
      return "idle";
    case LegState::Trying:
      return "trying";
    case LegState::Early:
      return "early";
    case LegState::Confirmed:
      return "confirmed";
    case LegState::Terminating:
      return "terminating";
    case LegState::Terminated:
      return "terminated";
  }
  return "?";
}

// An echo call's loop: the answer to the offer the RTP leg made, naming the
// leg's own address and port (and RTCP port) with the offer's first codec,
// so the leg sends to its own socket and receives its own packets. It is an
// ordinary RFC 3264 §6.1 answer; the media engine cannot tell it from a
// phone's. Plain RTP only: a keyed (SDES) leg would need its own key back.
// `bindAddress` is where the leg's sockets really are: behind a 1:1 NAT the
// offer's c= names the public address, which the leg cannot reach itself.
std::optional<std::string> loopAnswer(const std::string& offerText, const std::string& bindAddress,
                                      std::string* error) {
  auto offer = media::sdp::parseSdp(offerText, error);
  if (!offer) return std::nullopt;
  auto audio = media::session::readAudio(*offer, error);
  if (!audio) return std::nullopt;
  if (audio->kind != media::session::LegKind::Rtp || audio->savp) {
    *error = "echo needs a plain RTP leg";
    return std::nullopt;
  }
  media::session::LocalTransport self;
  self.address = bindAddress.empty() ? audio->address : bindAddress;
  self.rtpPort = audio->port;
  self.rtcpPort = audio->rtcpPort.value_or(0);
  self.sessionId = offer->origin.sessionId;
  self.sessionVersion = offer->origin.sessionVersion;
  const auto direction =
      media::session::answerDirection(audio->direction, media::sdp::Direction::SendRecv);
  const auto answer = media::session::makeAnswer(*offer, *audio, audio->codecs.front(), self,
                                                 direction, media::sdp::Setup::None);
  return media::sdp::writeSdp(answer);
}

// For requests whose outcome changes nothing (INFO relays, BYE to a stray fork).
class IgnoreResponses final : public sip::ClientTransaction::Listener {
 public:
  void onResponse(sip::ClientTransactionId, const sip::SipMessage&) override {}
  void onTimeout(sip::ClientTransactionId) override {}
  void onTransportError(sip::ClientTransactionId, std::string_view) override {}
};

sip::ClientTransaction::Listener& nullListener() {
  static IgnoreResponses listener;
  return listener;
}

}  // namespace

Call::Call(uint64_t id, CallContext& context, std::shared_ptr<const config::ConfigSnapshot> config,
           sip::ServerTransactionId inviteTxn, const sip::SipMessage& invite,
           const sip::RequestSource& source)
    : context_(context),
      id_(id),
      config_(std::move(config)),
      inboundInvite_(std::make_unique<sip::SipMessage>(invite)),
      createdAt_(context.timers().clock().now()) {
  auto& random = context_.random();
  inbound_.role = LegRole::Inbound;
  inbound_.state = LegState::Trying;
  inbound_.kind = source.kind;
  inbound_.inviteServer = inviteTxn;
  clientAddress_ = source.source.toString();
  auto& d = inbound_.dialog;
  d.callId = std::string(invite.callId());
  d.localTag = random.token(12);
  if (auto from = invite.from()) {
    d.remoteTag = std::string(from->tag());
    d.remoteUri = std::string(from->uriText);
    d.remoteDisplayName = std::string(from->displayName);
    inboundFrom_ = d.remoteUri;
  }
  if (auto to = invite.to()) {
    d.localUri = std::string(to->uriText);
    inboundTo_ = d.localUri;
  }
  if (auto cseq = invite.cseq()) d.remoteCseq = cseq->number;
  d.learnRemoteTarget(invite);
  d.learnRouteSet(invite, /*asUac=*/false);
  // In-dialog requests toward the caller follow the flow it came from: a
  // WebSocket client can only be reached over its connection (RFC 7118 §5),
  // and a phone behind NAT only at the address it sent from.
  d.transport = sip::OutboundTarget{source.kind, source.source, source.connection, {}};
  if (auto local = context_.localContact(source.kind, source.source.family())) {
    d.localContact = contactUri(*local, source.kind);
  }
  inbound_.remoteSdp = sdpOf(invite);
  inbound_.remoteAllowsUpdate = allowsMethod(invite, "UPDATE");
  inbound_.remoteSupportsTimer = hasOptionTag(invite, sip::HeaderId::Supported, "timer") ||
                                 hasOptionTag(invite, sip::HeaderId::Require, "timer");
}

Call::~Call() {
  if (echoLimit_) context_.timers().cancel(echoLimit_);
  auto& txns = context_.transactions();
  for (auto id : {outbound_.inviteClient, outbound_.pendingClient, outbound_.byeClient,
                  inbound_.pendingClient, inbound_.byeClient}) {
    if (id) txns.abandon(*id);
  }
}

Leg* Call::legByTag(std::string_view localTag) {
  if (inbound_.dialog.localTag == localTag) return &inbound_;
  if (outbound_.dialog.localTag == localTag) return &outbound_;
  return nullptr;
}

Leg* Call::legForClientTxn(sip::ClientTransactionId txn) {
  for (Leg* leg : {&inbound_, &outbound_}) {
    if (leg->inviteClient == txn || leg->pendingClient == txn || leg->byeClient == txn) return leg;
  }
  return nullptr;
}

CallSummary Call::summary() const {
  CallSummary s;
  s.id = id_;
  // An echo call has no outbound dialog: answering the caller connects it.
  const bool connected =
      inbound_.state == LegState::Confirmed && (echo_ || outbound_.state == LegState::Confirmed);
  s.state = connected ? "connected" : stateName(inbound_.state);
  s.from = inboundFrom_;
  s.to = inboundTo_;
  s.route = target_.routeName;
  s.peer = target_.peerName;
  s.inboundTransport = std::string(sip::transportName(inbound_.kind));
  s.outboundTransport = target_.targets.empty() && outbound_.state == LegState::Idle
                            ? ""
                            : std::string(sip::transportName(outbound_.kind));
  const auto now = context_.timers().clock().now();
  s.ageSeconds = std::chrono::duration_cast<std::chrono::seconds>(now - createdAt_).count();
  if (media_) s.media = media_->transcoding() ? "transcoded" : "relayed";
  if (connectedAt_ != core::TimePoint{}) {
    s.connectedSeconds =
        std::chrono::duration_cast<std::chrono::seconds>(now - connectedAt_).count();
  }
  return s;
}

// ---------------------------------------------------------------------------
// Responses on the inbound leg

void Call::respondTo(sip::ServerTransactionId txn, int status, std::string_view reason,
                     const Leg* leg, std::string_view sdp,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
  auto* server = context_.transactions().findServer(txn);
  if (!server) return;
  const auto& request = server->request();
  const bool needsTag = status > 100 && leg && request.to() && request.to()->tag().empty();
  auto response = sip::makeResponse(request, status, reason,
                                    needsTag ? std::string_view(leg->dialog.localTag) : "");
  const bool dialogCreating =
      leg && status > 100 && status < 300 &&
      (request.method() == sip::Method::Invite || request.method() == sip::Method::Update);
  if (dialogCreating && !leg->dialog.localContact.empty()) {
    response.header(sip::HeaderId::Contact, "<" + leg->dialog.localContact + ">");
  }
  if (status >= 200 && status < 300) {
    response.header(sip::HeaderId::Allow, kAllow);
    response.header(sip::HeaderId::Supported, "timer");
  }
  for (const auto& [name, value] : extra) response.header(name, value);
  response.header(sip::HeaderId::Server, context_.callSettings().userAgent);
  if (!sdp.empty()) response.body("application/sdp", sdp);
  server->respond(response);
}

void Call::respondInbound(int status, std::string_view reason, std::string_view sdp,
                          bool withSessionTimer,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  if (!inbound_.inviteServer) return;
  if (status >= 300) finalStatus_ = status;
  std::vector<std::pair<std::string, std::string>> extra = headers;
  if (withSessionTimer && inbound_.timer.interval() > 0) {
    const bool callerRefreshes = inbound_.timer.refresher() == Refresher::Them;
    extra.emplace_back("Session-Expires",
                       std::to_string(inbound_.timer.interval()) +
                           (callerRefreshes ? ";refresher=uac" : ";refresher=uas"));
    if (inbound_.remoteSupportsTimer) extra.emplace_back("Require", "timer");
  }
  respondTo(*inbound_.inviteServer, status, reason, &inbound_, sdp, extra);
  if (!sdp.empty()) inbound_.localSdp = std::string(sdp);
  if (status >= 200) {
    inbound_.inviteServer.reset();
    if (status >= 300) inbound_.state = LegState::Terminated;
  } else if (status > 100) {
    inbound_.state = LegState::Early;
  }
}

void Call::reject(int status, std::string_view reason,
                  const std::vector<std::pair<std::string, std::string>>& extra) {
  CG_LOG_INFO(kLogTag) << "call " << id_ << " rejected: " << status << " " << reason;
  endReason_ = std::string(reason);
  respondInbound(status, reason, {}, false, extra);
  inbound_.state = LegState::Terminated;
  maybeFinish();
}

// ---------------------------------------------------------------------------
// The outbound INVITE

void Call::start(CallTarget target) {
  target_ = std::move(target);
  if (target_.targets.empty()) {
    reject(503, "No route target reachable");
    return;
  }
  auto& random = context_.random();
  auto& d = outbound_.dialog;
  outbound_.role = LegRole::Outbound;
  d.callId = random.token(24);
  d.localTag = random.token(12);
  d.remoteUri = target_.toUri;
  d.remoteTarget = target_.requestUri;
  d.localCseq = random.next() % 10000;
  context_.onOutboundDialog(*this);
  // The caller's identity travels, its host does not: From carries the user
  // and display name under our own host (topology hiding).
  std::string fromUser = "anonymous";
  std::string display;
  if (auto from = inboundInvite_->from()) {
    if (!from->uri.user.empty()) fromUser = std::string(from->uri.user);
    display = std::string(from->displayName);
  }
  d.localDisplayName = display;
  route_ = target_.routeName;
  outbound_.fallbackTargets.assign(target_.targets.begin() + 1, target_.targets.end());
  d.transport = target_.targets.front();
  outbound_.kind = d.transport.kind;
  if (auto local = context_.localContact(outbound_.kind, d.transport.address.family())) {
    d.localContact = contactUri(*local, outbound_.kind);
    d.localUri = "sip:" + fromUser + "@" + local->host;
  } else {
    reject(503, "No listener for the outbound transport");
    return;
  }
  setUpMedia();
  if (inbound_.remoteSdp.empty()) {
    // Delayed offer: the callee's 200 will carry the offer.
    sendOutboundInvite();
    return;
  }
  translateOffer(
      inbound_, inbound_.remoteSdp,
      [this](std::string offer) {
        if (cancelled_ || inbound_.state == LegState::Terminated) return;
        outbound_.localSdp = std::move(offer);
        sendOutboundInvite();
      },
      [this](std::string reason) {
        CG_LOG_INFO(kLogTag) << "call " << id_ << " media refused: " << reason;
        reject(488, "Not Acceptable Here");
      });
}

void Call::setUpMedia() {
  auto* engine = context_.mediaEngine();
  const bool browserCalls =
      inbound_.kind == sip::TransportKind::Ws || inbound_.kind == sip::TransportKind::Wss;
  if (!engine || (!browserCalls && !target_.calleeIsWebRtc)) return;
  media_ = std::make_unique<media::session::CallMedia>(*engine, *this, id_);
  media::session::CallMedia::SideSettings callee;
  callee.kind =
      target_.calleeIsWebRtc ? media::session::LegKind::WebRtc : media::session::LegKind::Rtp;
  const auto& webrtcCodecs = engine->settings().webrtcCodecs;
  // An echo leg carries what the browser may use, so the loop relays the
  // browser's own codec back untranscoded.
  callee.codecs =
      target_.calleeIsWebRtc || echo_ ? webrtcCodecs : media::session::audioCodecs(target_.codecs);
  callee.sdes = target_.sdes && !target_.calleeIsWebRtc;
  callee.latching = target_.rtpLatching;
  callee.interfaceName = target_.mediaInterface;
  // An echo leg talks to itself: any media interface will do.
  callee.peerAddress = echo_ ? std::string() : outbound_.dialog.transport.address.ip();
  media_->configureSide(media::bridge::Side::B, std::move(callee));
  media::session::CallMedia::SideSettings caller;
  if (browserCalls) caller.codecs = webrtcCodecs;
  caller.peerAddress = inbound_.dialog.transport.address.ip();
  media_->configureSide(media::bridge::Side::A, std::move(caller));
}

// ---------------------------------------------------------------------------
// Echo: the gateway answers and the caller hears itself

void Call::startEcho(CallTarget target) {
  target_ = std::move(target);
  target_.requestUri = "echo";  // the destination call events name
  route_ = target_.routeName;
  echo_ = true;
  outbound_.role = LegRole::Outbound;
  if (inbound_.remoteSdp.empty()) {
    // Only the caller's own offer can be reflected; browsers always send one.
    CG_LOG_INFO(kLogTag) << "call " << id_ << " echo refused: INVITE without an offer";
    reject(488, "Not Acceptable Here");
    return;
  }
  setUpMedia();
  if (!media_) {
    reject(503, "Echo needs the media engine");
    return;
  }
  translateOffer(
      inbound_, inbound_.remoteSdp,
      [this](std::string offer) {
        if (cancelled_ || inbound_.state == LegState::Terminated) return;
        outbound_.localSdp = std::move(offer);
        // Where a routed call sends its INVITE, the echo "receives" the offer.
        offered_ = true;
        publish(CallEventKind::Offered);
        loopEcho(
            outbound_.localSdp, [this](std::string sdp) { answerEcho(sdp); },
            [this](std::string reason) {
              CG_LOG_INFO(kLogTag) << "call " << id_ << " echo refused: " << reason;
              reject(488, "Not Acceptable Here");
            });
      },
      [this](std::string reason) {
        CG_LOG_INFO(kLogTag) << "call " << id_ << " media refused: " << reason;
        reject(488, "Not Acceptable Here");
      });
}

void Call::loopEcho(const std::string& offer, SdpThen then, SdpThen failed) {
  std::string error;
  auto answer = loopAnswer(offer, media_->bindAddress(media::bridge::Side::B), &error);
  if (!answer) {
    failed(std::move(error));
    return;
  }
  outbound_.remoteSdp = std::move(*answer);
  translateAnswer(outbound_, outbound_.remoteSdp, std::move(then), std::move(failed));
}

void Call::answerEcho(const std::string& sdp) {
  if (!inbound_.inviteServer) return;
  startCallerSessionTimer();
  connectedAt_ = context_.timers().clock().now();
  CG_LOG_INFO(kLogTag) << "call " << id_ << " answered by the echo";
  publish(CallEventKind::Answered);
  // A demo must not hold ports and a worker's time for ever.
  echoLimit_ = context_.timers().schedule(kEchoTimeLimit, [this] {
    echoLimit_ = 0;
    terminate("echo time limit");
  });
  finishAnswer(sdp);
}

void Call::reofferEcho(Leg& leg, sip::ServerTransactionId txn, const sip::SipMessage& request) {
  // The caller's re-offer (hold, ICE restart) takes the same loop as its
  // first offer; the answer is ours to give, with the refreshed timer.
  leg.pendingServer = txn;
  leg.pendingServerMethod = request.method();
  leg.remoteSdp = sdpOf(request);
  auto extra = refreshTimerFrom(leg, request);
  translateOffer(
      leg, leg.remoteSdp,
      [this, &leg, extra = std::move(extra)](std::string offer) {
        if (!leg.pendingServer) return;
        outbound_.localSdp = std::move(offer);
        loopEcho(
            outbound_.localSdp,
            [this, &leg, extra](std::string answer) {
              if (!leg.pendingServer) return;
              const auto pending = *leg.pendingServer;
              leg.pendingServer.reset();
              leg.localSdp = std::move(answer);
              respondTo(pending, 200, "OK", &leg, leg.localSdp, extra);
            },
            [this, &leg](std::string reason) {
              if (!leg.pendingServer) return;
              respondTo(*leg.pendingServer, 488, "Not Acceptable Here", &leg);
              leg.pendingServer.reset();
              terminate("media renegotiation failed: " + reason);
            });
      },
      [this, &leg](std::string reason) {
        if (!leg.pendingServer) return;
        CG_LOG_INFO(kLogTag) << "call " << id_ << " re-offer refused: " << reason;
        respondTo(*leg.pendingServer, 488, "Not Acceptable Here", &leg);
        leg.pendingServer.reset();
      });
}

void Call::onMediaEnded(std::string_view reason) {
  if (finished_) return;
  CG_LOG_WARN(kLogTag) << "call " << id_ << ": " << reason;
  terminate(reason);
}

void Call::translateOffer(Leg& from, const std::string& sdp, SdpThen then, SdpThen failed) {
  translate(true, from, sdp, std::move(then), std::move(failed));
}

void Call::translateAnswer(Leg& from, const std::string& sdp, SdpThen then, SdpThen failed) {
  translate(false, from, sdp, std::move(then), std::move(failed));
}

void Call::translate(bool offer, Leg& from, const std::string& sdp, SdpThen then, SdpThen failed) {
  if (!media_) {
    then(sdp);
    return;
  }
  const auto side = &from == &inbound_ ? media::bridge::Side::A : media::bridge::Side::B;
  auto done = [this, then = std::move(then), failed = std::move(failed)](
                  std::optional<std::string> result, std::string error) {
    if (finished_) return;
    if (result) {
      then(std::move(*result));
    } else {
      failed(std::move(error));
    }
  };
  if (offer) {
    media_->offer(side, sdp, std::move(done));
  } else {
    media_->answer(side, sdp, std::move(done));
  }
}

void Call::addCommonHeaders(sip::OutgoingRequest& request) const {
  request.headers.emplace_back("Allow", std::string(kAllow));
  request.headers.emplace_back("User-Agent", context_.callSettings().userAgent);
}

void Call::sendOutboundInvite() {
  const auto& settings = context_.callSettings();
  auto& d = outbound_.dialog;
  uint32_t maxForwards = settings.maxForwards;
  if (auto mf = inboundInvite_->maxForwards()) maxForwards = std::min(maxForwards, *mf - 1);
  auto request = d.makeRequest(sip::Method::Invite, maxForwards);
  outbound_.inviteCseq = d.localCseq;
  addCommonHeaders(request);
  request.headers.emplace_back("Supported", "timer");
  if (!offered_) {
    offered_ = true;
    publish(CallEventKind::Offered);
  }
  const uint32_t minSe = std::max(settings.minSe, outbound_.retryMinSe.value_or(0));
  const uint32_t se = std::max(settings.sessionExpires, minSe);
  request.headers.emplace_back("Session-Expires", std::to_string(se));
  request.headers.emplace_back("Min-SE", std::to_string(minSe));
  if (auto subject = inboundInvite_->headerValue(sip::HeaderId::Subject); !subject.empty()) {
    request.headers.emplace_back("Subject", std::string(subject));
  }
  for (const auto& header : target_.extraHeaders) request.headers.push_back(header);
  if (!outbound_.authorization.empty()) {
    request.headers.emplace_back(outbound_.authorizationHeader, outbound_.authorization);
  }
  if (!outbound_.localSdp.empty()) {
    request.contentType = "application/sdp";
    request.body = outbound_.localSdp;
  }
  outbound_.state = LegState::Trying;
  CG_LOG_INFO(kLogTag) << "call " << id_ << " INVITE " << request.requestUri << " via "
                       << sip::transportName(d.transport.kind) << " "
                       << d.transport.address.toString();
  outbound_.inviteClient =
      context_.transactions().sendRequest(std::move(request), d.transport, *this);
}

void Call::onResponse(sip::ClientTransactionId txn, const sip::SipMessage& response) {
  Leg* leg = legForClientTxn(txn);
  if (!leg) return;
  if (leg->inviteClient == txn) {
    onOutboundInviteResponse(response);
  } else if (leg->pendingClient == txn) {
    onReinviteResponse(*leg, response);
  } else if (leg->byeClient == txn && response.statusCode() >= 200) {
    leg->byeClient.reset();
    leg->state = LegState::Terminated;
    maybeFinish();
  }
}

void Call::onTimeout(sip::ClientTransactionId txn) {
  Leg* leg = legForClientTxn(txn);
  if (!leg) return;
  if (leg->inviteClient == txn) {
    leg->inviteClient.reset();
    onOutboundInviteFailed(408, "Request Timeout");
  } else if (leg->pendingClient == txn) {
    leg->pendingClient.reset();
    // A re-INVITE nobody answers means the dialog is gone (RFC 3261 §14.1).
    terminate("re-INVITE timed out");
  } else if (leg->byeClient == txn) {
    leg->byeClient.reset();
    leg->state = LegState::Terminated;
    maybeFinish();
  }
}

void Call::onTransportError(sip::ClientTransactionId txn, std::string_view reason) {
  Leg* leg = legForClientTxn(txn);
  if (!leg) return;
  CG_LOG_WARN(kLogTag) << "call " << id_ << " transport error: " << reason;
  if (leg->inviteClient == txn) {
    leg->inviteClient.reset();
    onOutboundInviteFailed(503, "Service Unavailable");
  } else {
    onTimeout(txn);
  }
}

void Call::onOutboundInviteResponse(const sip::SipMessage& response) {
  const int status = response.statusCode();
  auto& d = outbound_.dialog;
  if (status < 200) {
    if (status == 100) return;
    if (auto to = response.to(); to && !to->tag().empty()) {
      d.remoteTag = std::string(to->tag());
      d.learnRemoteTarget(response);
      d.learnRouteSet(response, /*asUac=*/true);
    }
    outbound_.state = LegState::Early;
    const auto sdp = sdpOf(response);
    if (!sdp.empty()) outbound_.remoteSdp = sdp;
    if (cancelled_) return;
    // 183 Session Progress carries early media (ringback); relay its SDP.
    if (sdp.empty() || inbound_.remoteSdp.empty()) {
      respondInbound(status, response.reasonPhrase(), inbound_.remoteSdp.empty() ? "" : sdp);
      return;
    }
    const std::string reason(response.reasonPhrase());
    translateAnswer(
        outbound_, sdp,
        [this, status, reason](std::string answer) {
          if (!cancelled_ && inbound_.inviteServer) respondInbound(status, reason, answer);
        },
        [this, status, reason](std::string) {
          if (!cancelled_ && inbound_.inviteServer) respondInbound(status, reason);
        });
    return;
  }
  outbound_.inviteClient.reset();
  if (status < 300) {
    confirmOutbound(response);
    return;
  }
  if (cancelled_) {
    outbound_.state = LegState::Terminated;
    maybeFinish();
    return;
  }
  // Answer a trunk's digest challenge with the peer's credentials (RFC 3261 §22.2).
  if ((status == 401 || status == 407) && !target_.username.empty() &&
      outbound_.authAttempts < kMaxAuthAttempts) {
    const auto header =
        status == 401 ? sip::HeaderId::WwwAuthenticate : sip::HeaderId::ProxyAuthenticate;
    std::string error;
    if (auto challenge = sip::auth::parseChallenge(response.headerValue(header), &error)) {
      // A second challenge means the credentials were refused, unless the
      // nonce merely went stale (RFC 7616 §3.3).
      const bool refused = outbound_.authAttempts > 0 && !challenge->stale;
      if (refused) error = "credentials refused by the peer";
      if (!refused && (target_.realm.empty() || target_.realm == challenge->realm)) {
        ++outbound_.authAttempts;
        outbound_.authorizationHeader = status == 401 ? "Authorization" : "Proxy-Authorization";
        outbound_.authorization = sip::auth::buildAuthorization(
            *challenge, sip::auth::DigestCredentials{target_.username, target_.password}, "INVITE",
            d.remoteTarget, context_.random().token(16), 1, outbound_.localSdp);
        sendOutboundInvite();
        return;
      }
    }
    CG_LOG_WARN(kLogTag) << "call " << id_ << " cannot answer challenge: " << error;
  }
  // 422: the peer wants a longer session interval (RFC 4028 §6).
  if (status == 422 && !outbound_.retryMinSe) {
    if (auto minSe = response.headerValue(sip::HeaderId::MinSe); !minSe.empty()) {
      if (auto parsed = parseSessionExpires(minSe)) {
        outbound_.retryMinSe = parsed->seconds;
        sendOutboundInvite();
        return;
      }
    }
  }
  // Try the next RFC 3263 target on 503 (RFC 3263 §4.3).
  if (status == 503 && !outbound_.fallbackTargets.empty()) {
    d.transport = outbound_.fallbackTargets.front();
    outbound_.fallbackTargets.erase(outbound_.fallbackTargets.begin());
    outbound_.kind = d.transport.kind;
    sendOutboundInvite();
    return;
  }
  onOutboundInviteFailed(status, response.reasonPhrase());
}

void Call::onOutboundInviteFailed(int status, std::string_view reason) {
  if (!outbound_.fallbackTargets.empty() && (status == 408 || status == 503)) {
    auto& d = outbound_.dialog;
    d.transport = outbound_.fallbackTargets.front();
    outbound_.fallbackTargets.erase(outbound_.fallbackTargets.begin());
    outbound_.kind = d.transport.kind;
    sendOutboundInvite();
    return;
  }
  outbound_.state = LegState::Terminated;
  int relayed = status;
  std::string relayedReason(reason);
  if (status == 401 || status == 407) {
    // The trunk's challenge is for us, not for the caller.
    relayed = 403;
    relayedReason = "Peer authentication failed";
  } else if (status >= 300 && status < 400) {
    relayed = 480;
    relayedReason = "Redirection not followed";
  }
  CG_LOG_INFO(kLogTag) << "call " << id_ << " failed: " << status << " " << reason;
  endReason_ = std::to_string(status) + " " + std::string(reason);
  respondInbound(relayed, relayedReason);
  maybeFinish();
}

void Call::confirmOutbound(const sip::SipMessage& response) {
  auto& d = outbound_.dialog;
  if (auto to = response.to()) d.remoteTag = std::string(to->tag());
  d.learnRemoteTarget(response);
  d.learnRouteSet(response, /*asUac=*/true);
  d.confirmed = true;
  outbound_.state = LegState::Confirmed;
  outbound_.remoteAllowsUpdate = allowsMethod(response, "UPDATE");
  outbound_.remoteSdp = sdpOf(response);
  outbound_.lastAck = outbound_.inviteCseq;

  // ACK now unless the caller sent no offer: then the answer arrives in the
  // caller's ACK and must travel in ours (delayed offer, RFC 3261 §13.2.1).
  const bool delayedOffer = inbound_.remoteSdp.empty();
  if (!delayedOffer || cancelled_) {
    auto ack =
        d.makeRequest(sip::Method::Ack, context_.callSettings().maxForwards, outbound_.inviteCseq);
    context_.transactions().sendAck(std::move(ack), d.transport);
  } else {
    outbound_.ackPending = true;
  }

  if (cancelled_) {
    sendBye(outbound_, "caller cancelled");
    return;
  }

  // Session timer toward the callee: as the 2xx says (RFC 4028 §7.2).
  if (auto se = response.headerValue(sip::HeaderId::SessionExpires); !se.empty()) {
    if (auto parsed = parseSessionExpires(se)) {
      const bool weRefresh = parsed->refresher.value_or("uac") == "uac";
      startSessionTimer(outbound_, parsed->seconds, weRefresh ? Refresher::Us : Refresher::Them);
    }
  }
  startCallerSessionTimer();

  connectedAt_ = context_.timers().clock().now();
  CG_LOG_INFO(kLogTag) << "call " << id_ << " answered";
  publish(CallEventKind::Answered);
  const auto refused = [this](std::string reason) {
    terminate("media negotiation failed: " + reason);
  };
  if (outbound_.remoteSdp.empty()) {
    finishAnswer("");
  } else if (inbound_.remoteSdp.empty()) {
    // Delayed offer: the callee offers in its 200, the caller answers in its ACK.
    translateOffer(
        outbound_, outbound_.remoteSdp, [this](std::string sdp) { finishAnswer(sdp); }, refused);
  } else {
    translateAnswer(
        outbound_, outbound_.remoteSdp, [this](std::string sdp) { finishAnswer(sdp); }, refused);
  }
}

void Call::startCallerSessionTimer() {
  // Toward the caller: what its INVITE asked for, or our own interval.
  const auto& settings = context_.callSettings();
  uint32_t interval = settings.sessionExpires;
  Refresher who = inbound_.remoteSupportsTimer ? Refresher::Them : Refresher::Us;
  if (auto se = inboundInvite_->headerValue(sip::HeaderId::SessionExpires); !se.empty()) {
    if (auto parsed = parseSessionExpires(se)) {
      interval = std::max(parsed->seconds, settings.minSe);
      if (parsed->refresher == "uas") who = Refresher::Us;
    }
  }
  startSessionTimer(inbound_, interval, who);
}

void Call::finishAnswer(const std::string& sdp) {
  if (!inbound_.inviteServer) return;
  respondInbound(200, "OK", sdp, /*withSessionTimer=*/true);
  inbound_.state = LegState::Confirmed;  // until its ACK; a missing ACK ends the call
  inbound_.dialog.confirmed = true;
}

// ---------------------------------------------------------------------------
// ACK, CANCEL and in-dialog requests

void Call::onAck(Leg& leg, const sip::SipMessage& ack) {
  if (&leg != &inbound_) return;
  if (outbound_.ackPending) {
    outbound_.ackPending = false;
    const auto sdp = sdpOf(ack);
    if (sdp.empty()) {
      sendDelayedAck("");
      return;
    }
    inbound_.remoteSdp = sdp;
    translateAnswer(
        inbound_, sdp, [this](std::string answer) { sendDelayedAck(answer); },
        [this](std::string reason) {
          sendDelayedAck("");
          terminate("media negotiation failed: " + reason);
        });
  }
}

void Call::sendDelayedAck(const std::string& sdp) {
  auto& d = outbound_.dialog;
  auto request =
      d.makeRequest(sip::Method::Ack, context_.callSettings().maxForwards, outbound_.inviteCseq);
  if (!sdp.empty()) {
    request.contentType = "application/sdp";
    request.body = sdp;
    outbound_.localSdp = sdp;
  }
  context_.transactions().sendAck(std::move(request), d.transport);
}

void Call::onCancel(sip::ServerTransactionId inviteTxn) {
  if (inbound_.inviteServer != inviteTxn) return;
  CG_LOG_INFO(kLogTag) << "call " << id_ << " cancelled by the caller";
  cancelled_ = true;
  endReason_ = "cancelled";
  respondInbound(487, "Request Terminated");
  inbound_.state = LegState::Terminated;
  if (outbound_.inviteClient) {
    context_.transactions().cancel(*outbound_.inviteClient);
  } else if (outbound_.state == LegState::Confirmed) {
    sendBye(outbound_, "caller cancelled");
  }
  maybeFinish();
}

void Call::onAckTimeout(sip::ServerTransactionId) {
  CG_LOG_WARN(kLogTag) << "call " << id_ << ": no ACK for our 200 OK";
  terminate("no ACK");
}

void Call::onStrayResponse(const sip::SipMessage& response) {
  // A retransmitted 2xx to our INVITE: our ACK was lost, send it again (§13.2.2.4).
  const auto cseq = response.cseq();
  if (!cseq || cseq->method != sip::Method::Invite || response.statusCode() / 100 != 2) return;
  auto& d = outbound_.dialog;
  const auto to = response.to();
  if (to && d.confirmed && to->tag() == d.remoteTag && outbound_.lastAck == cseq->number &&
      !outbound_.ackPending) {
    auto ack = d.makeRequest(sip::Method::Ack, context_.callSettings().maxForwards, cseq->number);
    if (!outbound_.localSdp.empty() && inbound_.remoteSdp.empty()) {
      ack.contentType = "application/sdp";
      ack.body = outbound_.localSdp;
    }
    context_.transactions().sendAck(std::move(ack), d.transport);
  } else if (to && to->tag() != d.remoteTag) {
    // A second fork answered: acknowledge and release it (RFC 3261 §13.2.2.4).
    sip::DialogState fork = d;
    fork.remoteTag = std::string(to->tag());
    fork.learnRemoteTarget(response);
    auto ack =
        fork.makeRequest(sip::Method::Ack, context_.callSettings().maxForwards, cseq->number);
    context_.transactions().sendAck(std::move(ack), fork.transport);
    auto bye = fork.makeRequest(sip::Method::Bye, context_.callSettings().maxForwards);
    context_.transactions().sendRequest(std::move(bye), fork.transport, nullListener());
  }
}

void Call::onInDialogRequest(Leg& leg, sip::ServerTransactionId txn,
                             const sip::SipMessage& request) {
  const auto cseq = request.cseq();
  if (!cseq || !leg.dialog.acceptRemoteCseq(cseq->number)) {
    respondTo(txn, 500, "CSeq out of order", &leg);
    return;
  }
  const auto method = request.method();
  Leg& peer = other(leg);
  switch (method) {
    case sip::Method::Bye: {
      respondTo(txn, 200, "OK", &leg);
      leg.state = LegState::Terminated;
      leg.timer.stop();
      CG_LOG_INFO(kLogTag) << "call " << id_ << " BYE from the "
                           << (&leg == &inbound_ ? "caller" : "callee");
      endReason_ = &leg == &inbound_ ? "caller hung up" : "callee hung up";
      if (leg.pendingServer) {
        respondTo(*leg.pendingServer, 487, "Request Terminated", &leg);
        leg.pendingServer.reset();
      }
      if (&peer == &outbound_ && peer.inviteClient) {
        context_.transactions().cancel(*peer.inviteClient);
        cancelled_ = true;
      } else if (&peer == &inbound_ && peer.inviteServer) {
        respondInbound(487, "Request Terminated");
      } else if (peer.state == LegState::Confirmed || peer.state == LegState::Early) {
        sendBye(peer, endReason_);
      }
      maybeFinish();
      return;
    }
    case sip::Method::Invite:
    case sip::Method::Update: {
      if (leg.pendingServer || leg.pendingClient || peer.pendingClient || peer.pendingServer ||
          (method == sip::Method::Invite && leg.inviteServer)) {
        // Glare or an offer already in flight (RFC 3261 §14.2, RFC 3311 §5.2).
        respondTo(txn, 491, "Request Pending", &leg);
        return;
      }
      leg.dialog.learnRemoteTarget(request);
      const auto sdp = sdpOf(request);
      // An echo call renegotiates with its own loop once the caller is answered.
      const bool canRenegotiate =
          echo_ ? leg.state == LegState::Confirmed : peer.state == LegState::Confirmed;
      if (sdp.empty() || sdp == leg.remoteSdp || !canRenegotiate) {
        answerRefreshLocally(leg, txn, request);
        return;
      }
      if (echo_) {
        reofferEcho(leg, txn, request);
        return;
      }
      relayReinvite(leg, txn, request);
      return;
    }
    case sip::Method::Options:
      respondTo(txn, 200, "OK", &leg, {},
                {{"Allow", std::string(kAllow)}, {"Accept", "application/sdp"}});
      return;
    case sip::Method::Info: {
      respondTo(txn, 200, "OK", &leg);
      if (relayDtmf(leg, request)) return;
      if (peer.state == LegState::Confirmed) {
        auto info = peer.dialog.makeRequest(sip::Method::Info, context_.callSettings().maxForwards);
        if (!request.body().empty()) {
          info.contentType = std::string(request.headerValue(sip::HeaderId::ContentType));
          info.body = std::string(request.body());
        }
        context_.transactions().sendRequest(std::move(info), peer.dialog.transport, nullListener());
      }
      return;
    }
    case sip::Method::Refer:
      respondTo(txn, 501, "Call transfer not supported", &leg);
      return;
    default:
      respondTo(txn, 405, "Method Not Allowed", &leg, {}, {{"Allow", std::string(kAllow)}});
      return;
  }
}

bool Call::relayDtmf(Leg& from, const sip::SipMessage& info) {
  // Browsers send DTMF as SIP INFO (application/dtmf-relay: "Signal=5",
  // "Duration=160"); call centres expect RFC 4733 in the media.
  if (!media_) return false;
  const auto type = info.headerValue(sip::HeaderId::ContentType);
  if (type.find("dtmf") == std::string_view::npos) return false;
  const auto body = info.body();
  char digit = 0;
  int duration = 160;
  size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    auto line = body.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    auto key = line.substr(0, eq);
    auto value = line.substr(eq + 1);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if ((key == "Signal" || key == "signal") && value.size() == 1) digit = value.front();
    if ((key == "Duration" || key == "duration") && !value.empty() && value.size() < 6 &&
        value.find_first_not_of("0123456789") == std::string_view::npos) {
      duration = std::clamp(std::stoi(std::string(value)), 40, 5000);
    }
  }
  if (digit == 0) return false;
  media_->sendDtmf(&from == &inbound_ ? media::bridge::Side::B : media::bridge::Side::A, digit,
                   duration);
  return true;
}

void Call::answerRefreshLocally(Leg& leg, sip::ServerTransactionId txn,
                                const sip::SipMessage& request) {
  // A refresh, or an offer-less re-INVITE: answer from this leg's own state.
  // The other leg never hears of it, so each side's timers stay its own.
  const auto extra = refreshTimerFrom(leg, request);
  const bool answerWithSdp = request.method() == sip::Method::Invite || !sdpOf(request).empty();
  respondTo(txn, 200, "OK", &leg, answerWithSdp ? std::string_view(leg.localSdp) : "", extra);
}

std::vector<std::pair<std::string, std::string>> Call::refreshTimerFrom(
    Leg& leg, const sip::SipMessage& request) {
  std::vector<std::pair<std::string, std::string>> extra;
  if (auto se = request.headerValue(sip::HeaderId::SessionExpires); !se.empty()) {
    if (auto parsed = parseSessionExpires(se)) {
      const uint32_t interval = std::max(parsed->seconds, context_.callSettings().minSe);
      const bool senderRefreshes = parsed->refresher.value_or("uac") == "uac";
      startSessionTimer(leg, interval, senderRefreshes ? Refresher::Them : Refresher::Us);
      extra.emplace_back(
          "Session-Expires",
          std::to_string(interval) + (senderRefreshes ? ";refresher=uac" : ";refresher=uas"));
      extra.emplace_back("Require", "timer");
    }
  } else if (leg.timer.interval() > 0) {
    startSessionTimer(leg, leg.timer.interval(), leg.timer.refresher());
  }
  return extra;
}

void Call::relayReinvite(Leg& from, sip::ServerTransactionId txn, const sip::SipMessage& request) {
  Leg& to = other(from);
  from.pendingServer = txn;
  from.pendingServerMethod = request.method();
  from.remoteSdp = sdpOf(request);
  const auto method = request.method();
  translateOffer(
      from, from.remoteSdp,
      [this, &from, &to, method](std::string offer) {
        if (!from.pendingServer || to.state != LegState::Confirmed) return;
        sendRelayedOffer(to, method, offer);
      },
      [this, &from](std::string reason) {
        if (!from.pendingServer) return;
        CG_LOG_INFO(kLogTag) << "call " << id_ << " re-offer refused: " << reason;
        respondTo(*from.pendingServer, 488, "Not Acceptable Here", &from);
        from.pendingServer.reset();
      });
}

void Call::sendRelayedOffer(Leg& to, sip::Method method, const std::string& sdp) {
  const bool useUpdate = method == sip::Method::Update && to.remoteAllowsUpdate;
  auto relayed = to.dialog.makeRequest(useUpdate ? sip::Method::Update : sip::Method::Invite,
                                       context_.callSettings().maxForwards);
  addCommonHeaders(relayed);
  relayed.contentType = "application/sdp";
  relayed.body = sdp;
  to.localSdp = sdp;
  to.pendingClientMethod = useUpdate ? sip::Method::Update : sip::Method::Invite;
  to.pendingClientIsRefresh = false;
  to.pendingCseq = to.dialog.localCseq;
  to.pendingClient =
      context_.transactions().sendRequest(std::move(relayed), to.dialog.transport, *this);
}

void Call::onReinviteResponse(Leg& to, const sip::SipMessage& response) {
  const int status = response.statusCode();
  if (status < 200) return;
  const bool wasInvite = to.pendingClientMethod == sip::Method::Invite;
  const bool refresh = to.pendingClientIsRefresh;
  to.pendingClient.reset();
  if (wasInvite && status < 300) {
    auto ack = to.dialog.makeRequest(sip::Method::Ack, context_.callSettings().maxForwards,
                                     to.pendingCseq);
    context_.transactions().sendAck(std::move(ack), to.dialog.transport);
  }
  if (status == 481 || status == 408) {
    terminate("dialog gone on refresh");
    return;
  }
  if (status < 300) {
    to.dialog.learnRemoteTarget(response);
    if (auto se = response.headerValue(sip::HeaderId::SessionExpires); !se.empty()) {
      if (auto parsed = parseSessionExpires(se)) {
        startSessionTimer(
            to, parsed->seconds,
            parsed->refresher.value_or("uac") == "uac" ? Refresher::Us : Refresher::Them);
      }
    } else if (to.timer.interval() > 0) {
      startSessionTimer(to, to.timer.interval(), to.timer.refresher());
    }
  }
  if (refresh) {
    if (status == 491) {
      // Try again shortly (RFC 3261 §14.1 suggests 2.1–4 s for the dialog owner).
      to.timer.retryIn(context_.timers(), std::chrono::seconds(3),
                       [this, &to] { sendRefresh(to); });
    }
    return;
  }
  Leg& from = other(to);
  if (!from.pendingServer) return;
  const auto txn = *from.pendingServer;
  from.pendingServer.reset();
  if (status < 300) {
    const auto sdp = sdpOf(response);
    auto answer = [this, &from, txn](std::string body) {
      if (!body.empty()) from.localSdp = std::move(body);
      std::vector<std::pair<std::string, std::string>> extra;
      if (from.timer.interval() > 0) {
        const bool fromRefreshes = from.timer.refresher() == Refresher::Them;
        extra.emplace_back("Session-Expires",
                           std::to_string(from.timer.interval()) +
                               (fromRefreshes ? ";refresher=uac" : ";refresher=uas"));
        startSessionTimer(from, from.timer.interval(), from.timer.refresher());
      }
      respondTo(txn, 200, "OK", &from, from.localSdp, extra);
    };
    if (sdp.empty()) {
      answer("");
      return;
    }
    to.remoteSdp = sdp;
    translateAnswer(to, sdp, answer, [this, &from, txn](std::string reason) {
      respondTo(txn, 488, "Not Acceptable Here", &from);
      terminate("media renegotiation failed: " + reason);
    });
  } else {
    respondTo(txn, status, response.reasonPhrase(), &from);
  }
}

// ---------------------------------------------------------------------------
// Session timers, BYE and the end of the call

void Call::startSessionTimer(Leg& leg, uint32_t seconds, Refresher who) {
  if (seconds == 0) return;
  leg.timer.start(
      context_.timers(), seconds, who, [this, &leg] { sendRefresh(leg); },
      [this] {
        CG_LOG_WARN(kLogTag) << "call " << id_ << " session expired without refresh";
        terminate("session timer expired");
      });
}

void Call::sendRefresh(Leg& leg) {
  if (leg.state != LegState::Confirmed || finished_) return;
  if (leg.pendingClient || leg.pendingServer) {
    // An offer/answer exchange is refreshing the session anyway; look again soon.
    leg.timer.retryIn(context_.timers(), std::chrono::seconds(2),
                      [this, &leg] { sendRefresh(leg); });
    return;
  }
  const bool useUpdate = leg.remoteAllowsUpdate;
  auto request = leg.dialog.makeRequest(useUpdate ? sip::Method::Update : sip::Method::Invite,
                                        context_.callSettings().maxForwards);
  addCommonHeaders(request);
  request.headers.emplace_back("Supported", "timer");
  request.headers.emplace_back("Session-Expires",
                               std::to_string(leg.timer.interval()) + ";refresher=uac");
  if (!useUpdate && !leg.localSdp.empty()) {
    request.contentType = "application/sdp";
    request.body = leg.localSdp;
  }
  leg.pendingClientMethod = useUpdate ? sip::Method::Update : sip::Method::Invite;
  leg.pendingClientIsRefresh = true;
  leg.pendingCseq = leg.dialog.localCseq;
  leg.pendingClient =
      context_.transactions().sendRequest(std::move(request), leg.dialog.transport, *this);
}

void Call::sendBye(Leg& leg, std::string_view reason) {
  if (leg.state == LegState::Terminating || leg.state == LegState::Terminated) return;
  leg.timer.stop();
  leg.state = LegState::Terminating;
  auto bye = leg.dialog.makeRequest(sip::Method::Bye, context_.callSettings().maxForwards);
  bye.headers.emplace_back("Reason", "SIP;cause=200;text=\"" + std::string(reason) + "\"");
  leg.byeClient = context_.transactions().sendRequest(std::move(bye), leg.dialog.transport, *this);
}

void Call::terminate(std::string_view reason) {
  if (endReason_.empty()) endReason_ = std::string(reason);
  CG_LOG_INFO(kLogTag) << "call " << id_ << " ending: " << reason;
  for (Leg* leg : {&inbound_, &outbound_}) {
    leg->timer.stop();
    if (leg->pendingServer) {
      respondTo(*leg->pendingServer, 487, "Request Terminated", leg);
      leg->pendingServer.reset();
    }
  }
  if (inbound_.inviteServer) {
    respondInbound(480, "Temporarily Unavailable");
  } else if (inbound_.state == LegState::Confirmed || inbound_.state == LegState::Early) {
    sendBye(inbound_, reason);
  }
  if (outbound_.inviteClient) {
    cancelled_ = true;
    context_.transactions().cancel(*outbound_.inviteClient);
  } else if (outbound_.state == LegState::Confirmed || outbound_.state == LegState::Early) {
    sendBye(outbound_, reason);
  }
  maybeFinish();
}

void Call::hangup(std::string_view reason) {
  terminate(reason);
}

void Call::maybeFinish() {
  if (finished_) return;
  auto done = [](const Leg& leg) {
    return (leg.state == LegState::Terminated || leg.state == LegState::Idle) &&
           !leg.inviteClient && !leg.inviteServer && !leg.byeClient && !leg.pendingClient;
  };
  // An outbound leg still waiting for the answer to our CANCEL is not done.
  if (!done(inbound_) || !done(outbound_)) return;
  finished_ = true;
  if (echoLimit_) {
    context_.timers().cancel(echoLimit_);
    echoLimit_ = 0;
  }
  CG_LOG_INFO(kLogTag) << "call " << id_ << " finished (" << endReason_ << ")";
  if (offered_) publish(CallEventKind::Ended);
  context_.onCallFinished(*this);
}

void Call::publish(CallEventKind kind) {
  CallEvent e;
  e.kind = kind;
  e.callId = id_;
  e.sipCallId = outbound_.dialog.callId;
  e.from = inboundFrom_;
  e.to = inboundTo_;
  e.route = target_.routeName;
  e.peer = target_.peerName;
  e.destination = target_.requestUri;
  e.clientAddress = clientAddress_;
  e.callme = target_.callme;
  if (kind == CallEventKind::Ended) {
    e.reason = endReason_;
    if (connectedAt_ != core::TimePoint{}) {
      e.durationS = std::chrono::duration_cast<std::chrono::seconds>(
                        context_.timers().clock().now() - connectedAt_)
                        .count();
    } else {
      e.status = finalStatus_;
    }
  }
  context_.onCallEvent(e);
}

}  // namespace callgate::b2bua
