#include "b2bua/CallManager.h"

#include <algorithm>

#include "callme/ContextHeaders.h"
#include "config/ConfigSnapshot.h"
#include "config/MediaValidation.h"
#include "core/Counters.h"
#include "core/Log.h"
#include "core/Random.h"
#include "net/dns/SipServerLocator.h"
#include "routing/StaticRouter.h"
#include "sip/msg/MessageBuilder.h"

namespace callgate::b2bua {
namespace {

constexpr std::string_view kLogTag = "b2bua";
constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, REGISTER";

std::string transportParam(sip::TransportKind kind) {
  switch (kind) {
    case sip::TransportKind::Udp:
      return "";
    case sip::TransportKind::Tcp:
      return ";transport=tcp";
    case sip::TransportKind::Tls:
      return ";transport=tls";
    case sip::TransportKind::Ws:
      return ";transport=ws";
    case sip::TransportKind::Wss:
      return ";transport=wss";
  }
  return "";
}

}  // namespace

CallManager::CallManager(core::TimerQueue& timers, core::Random& random, sip::PacketSender& sender)
    : timers_(timers),
      random_(random),
      sender_(sender),
      registrar_(timers, RegistrarSettings{}),
      callme_(timers.clock()) {}

CallManager::~CallManager() {
  if (reapTimer_) timers_.cancel(reapTimer_);
}

void CallManager::setConfig(std::shared_ptr<const config::ConfigSnapshot> config) {
  config_ = std::move(config);
  callme_.setConfig(config_);
  const auto& c = config_->config();
  settings_.userAgent = c.sip.user_agent;
  settings_.maxForwards = c.sip.max_forwards;
  settings_.sessionExpires = c.sip.session_expires_s;
  settings_.minSe = c.sip.min_se_s;
  registrar_.setSettings(RegistrarSettings{c.registrar.min_expires_s, c.registrar.max_expires_s,
                                           c.registrar.default_expires_s, c.sip.domain});
}

std::optional<sip::LocalContact> CallManager::localContact(sip::TransportKind kind, int family) {
  return sender_.localContact(kind, family);
}

void CallManager::respond(sip::ServerTransactionId txn, int status, std::string_view reason,
                          const std::vector<std::pair<std::string, std::string>>& extra) {
  auto* server = transactions_->findServer(txn);
  if (!server) return;
  const auto& request = server->request();
  // A final response outside a dialog still needs a To tag (RFC 3261 §8.2.6.2).
  const bool needsTag = status > 100 && request.to() && request.to()->tag().empty();
  const std::string tag = needsTag ? random_.token(12) : std::string();
  auto response = sip::makeResponse(request, status, reason, tag);
  for (const auto& [name, value] : extra) response.header(name, value);
  response.header(sip::HeaderId::Server, settings_.userAgent);
  server->respond(response);
}

// ---------------------------------------------------------------------------
// Requests

void CallManager::onRequest(sip::ServerTransactionId txn, const sip::SipMessage& request) {
  const auto method = request.method();
  const auto to = request.to();
  const std::string_view toTag = to ? to->tag() : std::string_view{};
  if (!toTag.empty()) {
    Leg* leg = nullptr;
    if (Call* call = findByDialog(request.callId(), toTag, &leg)) {
      call->onInDialogRequest(*leg, txn, request);
      return;
    }
    // §12.2.2: a request for a dialog we do not know.
    if (method == sip::Method::Options) {
      respond(txn, 200, "OK", {{"Allow", std::string(kAllow)}});
    } else {
      respond(txn, 481, "Call/Transaction Does Not Exist");
    }
    return;
  }
  switch (method) {
    case sip::Method::Invite:
      onNewInvite(txn, request);
      return;
    case sip::Method::Register:
      onRegister(txn, request);
      return;
    case sip::Method::Options:
      // Answered locally: peers use it as a keepalive and health check.
      respond(
          txn, 200, "OK",
          {{"Allow", std::string(kAllow)}, {"Accept", "application/sdp"}, {"Supported", "timer"}});
      return;
    case sip::Method::Bye:
      respond(txn, 481, "Call/Transaction Does Not Exist");
      return;
    case sip::Method::Refer:
      respond(txn, 501, "Call transfer not supported");
      return;
    case sip::Method::Unknown:
      respond(txn, 501, "Not Implemented");
      return;
    default:
      respond(txn, 405, "Method Not Allowed", {{"Allow", std::string(kAllow)}});
      return;
  }
}

void CallManager::onRegister(sip::ServerTransactionId txn, const sip::SipMessage& request) {
  auto* server = transactions_->findServer(txn);
  if (!server) return;
  const auto& source = server->source();
  auto result = registrar_.handleRegister(request, source.kind, source.source, source.connection);
  std::vector<std::pair<std::string, std::string>> extra;
  for (auto& contact : result.contactHeaders) extra.emplace_back("Contact", std::move(contact));
  if (result.minExpires) extra.emplace_back("Min-Expires", std::to_string(*result.minExpires));
  respond(txn, result.status, result.reason, extra);
}

void CallManager::onNewInvite(sip::ServerTransactionId txn, const sip::SipMessage& invite) {
  auto* server = transactions_->findServer(txn);
  if (!server || !config_) return;
  // An extension we do not support cannot be required of us (RFC 3261 §8.2.2.3).
  std::string unsupported;
  for (auto tag : invite.headerValues(sip::HeaderId::Require)) {
    if (tag != "timer") unsupported += (unsupported.empty() ? "" : ", ") + std::string(tag);
  }
  if (!unsupported.empty()) {
    respond(txn, 420, "Bad Extension", {{"Unsupported", unsupported}});
    return;
  }
  // Only SDP bodies are understood (RFC 3261 §8.2.3).
  if (!invite.body().empty()) {
    const auto type = invite.headerValue(sip::HeaderId::ContentType);
    if (!type.starts_with("application/sdp") && !type.starts_with("application/SDP")) {
      respond(txn, 415, "Unsupported Media Type", {{"Accept", "application/sdp"}});
      return;
    }
  }
  // Session-Expires below our minimum gets 422 with ours (RFC 4028 §8.1).
  if (auto se = invite.headerValue(sip::HeaderId::SessionExpires); !se.empty()) {
    const auto parsed = parseSessionExpires(se);
    if (!parsed) {
      respond(txn, 400, "Bad Session-Expires");
      return;
    }
    if (parsed->seconds < settings_.minSe) {
      respond(txn, 422, "Session Interval Too Small",
              {{"Min-SE", std::to_string(settings_.minSe)}});
      return;
    }
  }
  const uint64_t id = nextCallId_++;
  auto call = std::make_unique<Call>(id, *this, config_, txn, invite, server->source());
  Call& ref = *call;
  calls_.emplace(id, std::move(call));
  inviteTxns_.emplace(txn, id);
  index(ref);
  routeCall(ref, invite);
}

void CallManager::routeCall(Call& call, const sip::SipMessage& invite) {
  const auto uri = sip::Uri::parse(invite.requestUri());
  if (!uri) {
    call.reject(416, "Unsupported URI Scheme");
    return;
  }
  auto* server = transactions_->findServer(*call.inbound().inviteServer);
  if (!server) {
    call.reject(500, "Server Internal Error");
    return;
  }
  const sip::RequestSource& source = server->source();
  const bool fromWebSocket = sip::isWebSocket(source.kind);
  // A browser names a Call Me button; the button, never the browser, decides
  // the destination.
  if (fromWebSocket && uri->user.starts_with(kCallmeUserPrefix)) {
    routeCallme(call, invite, uri->user.substr(kCallmeUserPrefix.size()), uri->host, source);
    return;
  }
  const auto decision = routing::route(
      routing::RouteRequest{std::string(uri->user), std::string(uri->host), source.listenerName},
      *config_);
  if (decision.kind == routing::RouteKind::NoRoute) {
    call.reject(404, "No route");
    return;
  }
  CG_LOG_INFO(kLogTag) << "call " << call.id() << " to " << invite.requestUri() << " matched route "
                       << decision.routeName;
  CallTarget target;
  target.routeName = decision.routeName;
  const std::string user = uri->user.empty() ? std::string("anonymous") : std::string(uri->user);

  if (decision.kind == routing::RouteKind::Registered) {
    deliverToRegistered(call, std::move(target), user, uri->host);
    return;
  }
  // Toll-fraud guard: anyone on the Internet can open a WebSocket to us and
  // REGISTER needs no credentials, but only a client that registered over this
  // very connection (an agent's softphone, not an anonymous page) may reach a
  // trunk or call centre through the route table. Anonymous pages go through
  // a Call Me button.
  if (fromWebSocket && !registrar_.hasBindingOn(source.connection)) {
    CG_LOG_RATE_LIMITED_WARN(kLogTag)
        << "call " << call.id() << " from unregistered WebSocket client "
        << source.source.toString() << " to peer route " << decision.routeName << " refused";
    call.reject(403, "Forbidden", {{"Reason", reasonHeaderValue(403, "Register first")}});
    return;
  }
  const config::Peer* peer = config_->peer(decision.peerName);
  if (!peer) {
    call.reject(500, "Route names an unknown peer");
    return;
  }
  deliverToPeer(call, std::move(target), *peer, user);
}

void CallManager::routeCallme(Call& call, const sip::SipMessage& invite, std::string_view buttonId,
                              std::string_view domain, const sip::RequestSource& source) {
  const std::string origin = sender_.connectionOrigin(source.connection);
  const std::string clientIp = source.source.ip();
  CallmeRequest request;
  request.callId = call.id();
  request.buttonId = buttonId;
  request.origin = origin;
  request.clientIp = clientIp;
  request.token = invite.headerValue(kCallmeTokenHeader);
  request.pageUrl = invite.headerValue(kCallmePageUrlHeader);
  request.pageTitle = invite.headerValue(kCallmePageTitleHeader);
  request.now = wallClock_();
  auto decision = callme_.admit(request);
  static auto& admitted = core::counter("callme.admitted");
  static auto& refusedCount = core::counter("callme.refused");
  if (!decision.admitted) {
    refusedCount.inc();
    // Everything logged here came from the network: cleaned and bounded.
    CG_LOG_RATE_LIMITED_WARN(kLogTag)
        << "callme refused: button=" << callme::sanitizeHeaderValue(buttonId, 64)
        << " client=" << source.source.toString()
        << " origin=" << callme::sanitizeHeaderValue(origin, 128) << " reason=" << decision.reason
        << (decision.detail.empty() ? "" : " (" + decision.detail + ")");
    call.reject(403, decision.reason, {{"Reason", reasonHeaderValue(403, decision.reason)}});
    CallEvent refused;
    refused.kind = CallEventKind::Refused;
    refused.callId = call.id();
    auto summary = call.summary();
    refused.from = std::move(summary.from);
    refused.to = std::move(summary.to);
    refused.route = std::string(kCallmeUserPrefix) + callme::sanitizeHeaderValue(buttonId, 64);
    refused.clientAddress = source.source.toString();
    refused.callme.button = callme::sanitizeHeaderValue(buttonId, 64);
    refused.callme.origin = callme::sanitizeHeaderValue(origin);
    refused.status = 403;
    refused.reason = decision.reason;
    onCallEvent(refused);
    return;
  }
  admitted.inc();
  const config::Button& button = *decision.button;
  CG_LOG_INFO(kLogTag) << "call " << call.id() << " is Call Me button " << button.name << " from "
                       << source.source.toString();
  CallTarget target;
  target.routeName = std::string(kCallmeUserPrefix) + button.name;
  target.extraHeaders = std::move(decision.headers);
  target.callme = std::move(decision.info);
  if (button.destination_type == "echo") {
    // The demo call centre: callgated answers and the caller hears itself.
    call.startEcho(std::move(target));
    return;
  }
  if (button.destination_type == "registered") {
    deliverToRegistered(call, std::move(target), button.destination_user, domain);
    return;
  }
  const config::Peer* peer = config_->peer(button.peer);
  if (!peer || !peer->enabled) {
    call.reject(503, "Call centre unavailable");
    return;
  }
  deliverToPeer(call, std::move(target), *peer, button.destination_user);
}

void CallManager::deliverToRegistered(Call& call, CallTarget target, const std::string& user,
                                      std::string_view domain) {
  const auto bindings = registrar_.lookup(user);
  if (bindings.empty()) {
    call.reject(480, "User not registered");
    return;
  }
  for (const Binding* binding : bindings) {
    target.targets.push_back(
        sip::OutboundTarget{binding->kind, binding->source, binding->connection, {}});
  }
  target.requestUri = bindings.front()->contactUri;
  target.toUri = "sip:" + user + "@" + std::string(domain);
  // A user registered over WebSocket is a browser: its media is WebRTC.
  const auto kind = bindings.front()->kind;
  target.calleeIsWebRtc = kind == sip::TransportKind::Ws || kind == sip::TransportKind::Wss;
  call.start(std::move(target));
}

void CallManager::deliverToPeer(Call& call, CallTarget target, const config::Peer& peerConfig,
                                const std::string& user) {
  const config::Peer* peer = &peerConfig;
  target.peerName = peer->name;
  target.username = peer->username;
  target.password = peer->password;
  target.realm = peer->realm;
  target.codecs = config::splitCodecList(peer->codecs);
  target.sdes = peer->media_encryption == "sdes";
  target.rtpLatching = peer->rtp_latching;
  target.mediaInterface = peer->media_interface;
  // "auto" leaves the transport to RFC 3263 (NAPTR, then SRV preference).
  const std::optional<sip::TransportKind> preferred =
      peer->transport == "auto" ? std::nullopt : sip::parseTransport(peer->transport);
  const std::string hostPart =
      peer->host.find(':') != std::string::npos ? "[" + peer->host + "]" : peer->host;
  const std::string portPart = peer->port ? ":" + std::to_string(peer->port) : "";
  target.toUri = "sip:" + user + "@" + hostPart;
  target.requestUri = "sip:" + user + "@" + hostPart + portPart +
                      transportParam(preferred.value_or(sip::TransportKind::Udp));

  if (auto literal = net::SocketAddress::fromIp(peer->host, 0)) {
    const auto kind = preferred.value_or(sip::TransportKind::Udp);
    literal->setPort(peer->port ? peer->port : (kind == sip::TransportKind::Tls ? 5061 : 5060));
    target.targets.push_back(sip::OutboundTarget{kind, *literal, 0, {}});
    call.start(std::move(target));
    return;
  }
  if (!locator_) {
    call.reject(503, "Peer host name resolution not available");
    return;
  }
  // RFC 3263 lookup; the call may be gone (CANCEL) when the answer comes.
  const uint64_t callId = call.id();
  locator_->locate(
      peer->host, static_cast<uint16_t>(peer->port), preferred, false,
      [this, callId, target = std::move(target)](net::dns::LocateResult result) mutable {
        auto it = calls_.find(callId);
        if (it == calls_.end() || it->second->finished()) return;
        if (result.targets.empty()) {
          CG_LOG_WARN(kLogTag) << "call " << callId << ": cannot resolve peer: " << result.error;
          it->second->reject(503, "Peer address not resolvable");
          return;
        }
        for (const auto& t : result.targets) {
          target.targets.push_back(sip::OutboundTarget{t.kind, t.address, 0, t.hostName});
        }
        it->second->start(std::move(target));
      });
}

void CallManager::onCancel(sip::ServerTransactionId inviteTxn, const sip::SipMessage&) {
  auto it = inviteTxns_.find(inviteTxn);
  if (it == inviteTxns_.end()) return;
  if (auto call = calls_.find(it->second); call != calls_.end()) call->second->onCancel(inviteTxn);
}

void CallManager::onAck(const sip::SipMessage& ack, const sip::RequestSource&) {
  const auto to = ack.to();
  if (!to) return;
  Leg* leg = nullptr;
  if (Call* call = findByDialog(ack.callId(), to->tag(), &leg)) call->onAck(*leg, ack);
}

void CallManager::onAckTimeout(sip::ServerTransactionId txn) {
  auto it = inviteTxns_.find(txn);
  if (it == inviteTxns_.end()) return;
  if (auto call = calls_.find(it->second); call != calls_.end()) call->second->onAckTimeout(txn);
}

void CallManager::onStrayResponse(const sip::SipMessage& response) {
  const auto from = response.from();
  if (!from) return;
  Leg* leg = nullptr;
  if (Call* call = findByDialog(response.callId(), from->tag(), &leg)) {
    call->onStrayResponse(response);
  }
}

void CallManager::onConnectionClosed(sip::ConnectionId connection) {
  registrar_.onConnectionClosed(connection);
}

// ---------------------------------------------------------------------------
// Bookkeeping

Call* CallManager::findByDialog(std::string_view callId, std::string_view localTag, Leg** leg) {
  auto it = dialogs_.find(std::make_pair(std::string(callId), std::string(localTag)));
  if (it == dialogs_.end()) return nullptr;
  auto call = calls_.find(it->second);
  if (call == calls_.end() || call->second->finished()) return nullptr;
  *leg = call->second->legByTag(localTag);
  return *leg ? call->second.get() : nullptr;
}

void CallManager::index(Call& call) {
  dialogs_[{call.inbound().dialog.callId, call.inbound().dialog.localTag}] = call.id();
}

void CallManager::unindex(Call& call) {
  dialogs_.erase({call.inbound().dialog.callId, call.inbound().dialog.localTag});
  dialogs_.erase({call.outbound().dialog.callId, call.outbound().dialog.localTag});
  std::erase_if(inviteTxns_, [&](const auto& e) { return e.second == call.id(); });
}

void CallManager::onOutboundDialog(Call& call) {
  dialogs_[{call.outbound().dialog.callId, call.outbound().dialog.localTag}] = call.id();
}

void CallManager::onCallEvent(const CallEvent& event) {
  if (eventSink_) eventSink_->onCallEvent(event);
}

void CallManager::onCallFinished(Call& call) {
  // A Call Me call stops counting against its limits when it ends.
  callme_.release(call.id());
  // Deleted from a zero-delay timer: we are inside one of the call's own frames.
  finished_.push_back(call.id());
  if (reapTimer_) return;
  reapTimer_ = timers_.schedule(core::Duration::zero(), [this] {
    reapTimer_ = 0;
    auto ids = std::move(finished_);
    finished_.clear();
    for (auto id : ids) {
      auto it = calls_.find(id);
      if (it == calls_.end()) continue;
      unindex(*it->second);
      calls_.erase(it);
    }
  });
}

std::vector<CallSummary> CallManager::calls() const {
  std::vector<CallSummary> out;
  for (const auto& [id, call] : calls_) {
    if (!call->finished()) out.push_back(call->summary());
  }
  return out;
}

bool CallManager::hangup(uint64_t callId) {
  auto it = calls_.find(callId);
  if (it == calls_.end() || it->second->finished()) return false;
  it->second->hangup("hung up by the administrator");
  return true;
}

size_t CallManager::hangupAll(std::string_view reason) {
  std::vector<uint64_t> ids;
  for (const auto& [id, call] : calls_) {
    if (!call->finished()) ids.push_back(id);
  }
  for (auto id : ids) {
    if (auto it = calls_.find(id); it != calls_.end()) it->second->hangup(reason);
  }
  return ids.size();
}

}  // namespace callgate::b2bua
