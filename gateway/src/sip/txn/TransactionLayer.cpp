#include "sip/txn/TransactionLayer.h"

#include <algorithm>

#include "core/Counters.h"
#include "core/Log.h"
#include "core/Random.h"
#include "sip/msg/TextUtil.h"

namespace callgate::sip {
namespace {

constexpr std::string_view kLogTag = "sip.txn";
constexpr std::string_view kMagicCookie = "z9hG4bK";  // RFC 3261 §8.1.1.7

// §17.2.3: branch + sent-by + method identify a server transaction; ACK
// matches the INVITE. Pre-RFC 3261 branches fall back to the dialog fields.
std::string serverKey(const SipMessage& request, const Via& via, Method method) {
  std::string key;
  const auto branch = via.branch();
  if (branch.starts_with(kMagicCookie)) {
    key.append(branch).append("|").append(via.host).append(":").append(std::to_string(via.port));
  } else {
    const auto from = request.from();
    key.append("legacy|").append(request.callId()).append("|");
    key.append(from ? from->tag() : std::string_view{}).append("|");
    key.append(std::to_string(request.cseq() ? request.cseq()->number : 0)).append("|");
    key.append(via.host).append(":").append(std::to_string(via.port)).append("|").append(branch);
  }
  key.append("|").append(methodName(method == Method::Ack ? Method::Invite : method));
  if (method == Method::Unknown) key.append(request.methodName());
  return key;
}

std::string clientKey(std::string_view branch, std::string_view method) {
  std::string key(branch);
  key.append("|").append(method);
  return key;
}

std::optional<std::string> toTagOf(const MessageBuilder& response) {
  for (const auto& [name, value] : response.headers()) {
    if (headerIdFor(name) == HeaderId::To) {
      if (auto to = NameAddr::parse(value)) return std::string(to->tag());
    }
  }
  return std::nullopt;
}

// RFC 3261 §18.2.1 and RFC 3581 §4: the top Via gets received= (and rport=
// when the client asked for it) so responses find their way back through NAT.
std::optional<std::string> stampVia(const SipMessage& request, const Via& via,
                                    const net::SocketAddress& source) {
  const auto rport = via.param("rport");
  const bool wantsRport = rport && rport->empty();
  const std::string ip = source.ip();
  const bool hostDiffers = !(via.host == ip);
  if (!wantsRport && !hostDiffers) return std::nullopt;
  const HeaderField* field = request.find(HeaderId::Via);
  if (!field) return std::nullopt;
  std::string_view item;
  forEachListItem(field->value, [&](std::string_view v) {
    if (item.empty()) item = v;
  });
  const auto raw = request.raw();
  const size_t start = static_cast<size_t>(item.data() - raw.data());
  const size_t end = start + item.size();
  std::string stamped(item.substr(0, item.find(';')));
  forEachParam(via.params, [&](std::string_view name, std::optional<std::string_view> value) {
    if (equalsIgnoreCase(name, "received") || (wantsRport && equalsIgnoreCase(name, "rport"))) {
      return;
    }
    stamped.append(";").append(name);
    if (value) stamped.append("=").append(*value);
  });
  stamped.append(";received=").append(ip);
  if (wantsRport) stamped.append(";rport=").append(std::to_string(source.port()));
  std::string bytes;
  bytes.reserve(raw.size() + 48);
  bytes.append(raw.substr(0, start)).append(stamped).append(raw.substr(end));
  return bytes;
}

class NoListener final : public ClientTransaction::Listener {
 public:
  void onResponse(ClientTransactionId, const SipMessage&) override {}
  void onTimeout(ClientTransactionId) override {}
  void onTransportError(ClientTransactionId, std::string_view) override {}
};
NoListener g_noListener;

}  // namespace

struct TransactionLayer::Client {
  enum class State { Calling, Proceeding, Accepted, Completed, Terminated };
  ClientTransactionId id = 0;
  Method method = Method::Unknown;
  bool isInvite = false;
  OutgoingRequest request;
  std::string via;
  std::string branch;
  std::string bytes;
  std::string ackBytes;
  OutboundTarget target;
  ClientTransaction::Listener* listener = nullptr;
  State state = State::Calling;
  core::TimerId timerRetransmit = 0;
  core::TimerId timerTimeout = 0;
  core::TimerId timerEnd = 0;
  core::Duration interval{};
  bool cancelRequested = false;
  bool cancelSent = false;
  std::string key;
};

TransactionLayer::TransactionLayer(core::TimerQueue& timers, PacketSender& sender, User& user,
                                   core::Random& random, Settings settings)
    : timers_(timers),
      sender_(sender),
      user_(user),
      random_(random),
      settings_(std::move(settings)) {}

TransactionLayer::~TransactionLayer() {
  for (auto& [id, s] : servers_) {
    for (auto t : {s->timerRetransmit_, s->timerEnd_, s->timerTrying_}) {
      if (t) timers_.cancel(t);
    }
  }
  for (auto& [id, c] : clients_) {
    for (auto t : {c->timerRetransmit, c->timerTimeout, c->timerEnd}) {
      if (t) timers_.cancel(t);
    }
  }
  if (reapTimer_) timers_.cancel(reapTimer_);
}

// ---------------------------------------------------------------------------
// Receive path

void TransactionLayer::onTransportPacket(InboundPacket&& packet) {
  static auto& unparseable = core::counter("sip.rx.unparseable");
  static auto& invalid = core::counter("sip.rx.invalid_requests");
  static auto& badResponses = core::counter("sip.rx.invalid_responses");
  auto result = SipMessage::parse(packet.bytes, settings_.limits);
  RequestSource source{packet.kind, packet.source, packet.local, packet.connection,
                       packet.listenerName};
  if (!result.message) {
    unparseable.inc();
    CG_LOG_RATE_LIMITED_WARN(kLogTag)
        << "dropped unparseable message from " << packet.source.toString() << ": " << result.error;
    return;
  }
  SipMessage& message = *result.message;
  if (!result.error.empty()) {
    if (message.isRequest() && message.method() != Method::Ack) {
      invalid.inc();
      CG_LOG_RATE_LIMITED_WARN(kLogTag)
          << "400 to " << packet.source.toString() << ": " << result.error;
      auto response = makeResponse(message, result.status, result.error);
      response.header(HeaderId::Server, settings_.userAgent);
      respondStateless(message, response, source);
    } else {
      badResponses.inc();
      CG_LOG_RATE_LIMITED_WARN(kLogTag)
          << "dropped invalid message from " << packet.source.toString() << ": " << result.error;
    }
    return;
  }
  if (message.isResponse()) {
    onResponse(message);
    return;
  }
  const auto via = message.topVia();
  if (auto stamped = stampVia(message, *via, packet.source)) {
    auto again = SipMessage::parse(*stamped, settings_.limits);
    if (!again.message || !again.error.empty()) {
      invalid.inc();
      return;
    }
    onRequest(std::move(*again.message), std::move(source));
    return;
  }
  onRequest(std::move(message), std::move(source));
}

OutboundTarget TransactionLayer::responseTargetFor(const SipMessage&, const RequestSource& source,
                                                   const Via& via) const {
  // §18.2.2: reliable transports answer over the connection the request came
  // on; datagrams go to the source address, at the rport (RFC 3581) or the
  // sent-by port.
  OutboundTarget target{source.kind, source.source, source.connection, {}};
  if (!isReliable(source.kind)) {
    target.connection = 0;
    if (!via.param("rport") || via.param("rport")->empty()) {
      target.address.setPort(via.port ? via.port : 5060);
    }
  }
  return target;
}

void TransactionLayer::respondStateless(const SipMessage& request, const MessageBuilder& response,
                                        const RequestSource& source) {
  OutboundTarget target{source.kind, source.source, source.connection, {}};
  if (auto via = request.topVia()) target = responseTargetFor(request, source, *via);
  sender_.send(target, response.serialize());
}

void TransactionLayer::onRequest(SipMessage request, RequestSource source) {
  const auto via = *request.topVia();
  const Method method = request.method();
  const std::string key = serverKey(request, via, method);

  if (method == Method::Ack) {
    if (auto it = serverKeys_.find(key); it != serverKeys_.end()) {
      auto& txn = *servers_.at(it->second);
      if (txn.state_ == ServerTransaction::State::Completed) {
        // ACK for our non-2xx final: stop Timer G/H, start Timer I (§17.2.1).
        txn.state_ = ServerTransaction::State::Confirmed;
        if (txn.timerRetransmit_) timers_.cancel(txn.timerRetransmit_);
        if (txn.timerEnd_) timers_.cancel(txn.timerEnd_);
        txn.timerRetransmit_ = 0;
        const auto id = txn.id_;
        txn.timerEnd_ = timers_.schedule(
            isReliable(txn.source_.kind) ? core::Duration::zero() : settings_.t4, [this, id] {
              if (auto* t = findServer(id)) terminateServer(*t);
            });
        return;
      }
      if (txn.state_ == ServerTransaction::State::Confirmed) return;
    }
    // ACK for a 2xx: stop that INVITE's 2xx retransmissions, tell the user.
    const auto to = request.to();
    const auto cseq = request.cseq();
    for (auto& [id, txn] : servers_) {
      if (txn->state_ != ServerTransaction::State::Accepted || !to || !cseq) continue;
      const auto& invite = txn->request_;
      if (invite.callId() == request.callId() && invite.cseq()->number == cseq->number &&
          txn->toTag2xx_ == to->tag()) {
        if (txn->timerRetransmit_) timers_.cancel(txn->timerRetransmit_);
        txn->timerRetransmit_ = 0;
        txn->state_ = ServerTransaction::State::Confirmed;
        break;
      }
    }
    user_.onAck(request, source);
    return;
  }

  if (auto it = serverKeys_.find(key); it != serverKeys_.end()) {
    // A retransmission: resend the last response, if any (§17.2.1, §17.2.2).
    auto& txn = *servers_.at(it->second);
    if (!txn.lastResponse_.empty() && txn.state_ != ServerTransaction::State::Accepted) {
      sender_.send(txn.responseTarget_, txn.lastResponse_);
    }
    return;
  }

  const auto target = responseTargetFor(request, source, via);
  if (method == Method::Cancel) {
    const std::string inviteKey = serverKey(request, via, Method::Invite);
    auto inviteIt = serverKeys_.find(inviteKey);
    if (inviteIt == serverKeys_.end()) {
      auto response = makeResponse(request, 481, {}, random_.token(10));
      response.header(HeaderId::Server, settings_.userAgent);
      respondStateless(request, response, source);
      return;
    }
    const ServerTransactionId inviteId = inviteIt->second;
    const ServerTransactionId id = nextId_++;
    auto txn = std::unique_ptr<ServerTransaction>(
        new ServerTransaction(*this, id, std::move(request), std::move(source), target));
    txn->key_ = key;
    auto& ref = *txn;
    servers_.emplace(id, std::move(txn));
    serverKeys_.emplace(key, id);
    // §9.2: the CANCEL gets 200 with the To tag of the INVITE's responses.
    auto& invite = *servers_.at(inviteId);
    auto ok = makeResponse(ref.request_, 200, {}, invite.toTag2xx_);
    ok.header(HeaderId::Server, settings_.userAgent);
    serverRespond(ref, ok);
    if (invite.finalStatus_ == 0) user_.onCancel(inviteId, ref.request_);
    return;
  }

  const ServerTransactionId id = nextId_++;
  auto txn = std::unique_ptr<ServerTransaction>(
      new ServerTransaction(*this, id, std::move(request), std::move(source), target));
  txn->key_ = key;
  txn->isInvite_ = method == Method::Invite;
  auto& ref = *txn;
  servers_.emplace(id, std::move(txn));
  serverKeys_.emplace(key, id);

  const auto& req = ref.request_;
  const auto to = req.to();
  if (to && to->tag().empty()) {
    // §8.2.2.2: the same request arriving by another path is a merge.
    const auto from = req.from();
    std::string merge(from->tag());
    merge.append("|").append(req.callId()).append("|").append(std::to_string(req.cseq()->number));
    merge.append("|").append(req.methodName());
    if (auto m = mergeKeys_.find(merge); m != mergeKeys_.end() && servers_.contains(m->second)) {
      auto response = makeResponse(req, 482, {}, random_.token(10));
      response.header(HeaderId::Server, settings_.userAgent);
      serverRespond(ref, response);
      return;
    }
    ref.mergeKey_ = merge;
    mergeKeys_.emplace(merge, id);
  }
  if (auto mf = req.maxForwards(); mf && *mf == 0 && method != Method::Options) {
    auto response = makeResponse(req, 483, {}, random_.token(10));
    response.header(HeaderId::Server, settings_.userAgent);
    serverRespond(ref, response);
    return;
  }
  if (ref.isInvite_) {
    // §17.2.1: 100 Trying if the user has not answered within 200 ms.
    ref.state_ = ServerTransaction::State::Proceeding;
    ref.timerTrying_ = timers_.schedule(std::chrono::milliseconds(200), [this, id] {
      auto* t = findServer(id);
      if (!t) return;
      t->timerTrying_ = 0;
      if (t->lastResponse_.empty()) {
        auto trying = makeResponse(t->request_, 100);
        trying.header(HeaderId::Server, settings_.userAgent);
        serverRespond(*t, trying);
      }
    });
  }
  user_.onRequest(id, ref.request_);
}

// ---------------------------------------------------------------------------
// Server transactions

void ServerTransaction::respond(const MessageBuilder& response) {
  layer_.serverRespond(*this, response);
}

ServerTransaction* TransactionLayer::findServer(ServerTransactionId txn) {
  auto it = servers_.find(txn);
  if (it == servers_.end() || it->second->state_ == ServerTransaction::State::Terminated) {
    return nullptr;
  }
  return it->second.get();
}

void TransactionLayer::serverSend(ServerTransaction& txn) {
  if (sender_.send(txn.responseTarget_, txn.lastResponse_) == SendStatus::Failed &&
      isReliable(txn.responseTarget_.kind) && txn.responseTarget_.connection != 0) {
    // §18.2.2: the connection is gone; open a new one to the same address.
    auto retry = txn.responseTarget_;
    retry.connection = 0;
    if (!isWebSocket(retry.kind)) sender_.send(retry, txn.lastResponse_);
  }
}

void TransactionLayer::serverRespond(ServerTransaction& txn, const MessageBuilder& response) {
  using State = ServerTransaction::State;
  if (txn.state_ == State::Terminated || txn.finalStatus_ >= 200) return;
  const int status = response.status();
  if (status >= 200 || status > 100) {
    if (txn.timerTrying_) timers_.cancel(txn.timerTrying_);
    txn.timerTrying_ = 0;
  }
  txn.lastResponse_ = response.serialize();
  serverSend(txn);
  const auto id = txn.id_;
  const bool reliable = isReliable(txn.source_.kind);
  if (status < 200) {
    txn.state_ = State::Proceeding;
    return;
  }
  txn.finalStatus_ = status;
  if (auto tag = toTagOf(response)) txn.toTag2xx_ = *tag;
  const auto timerL = 64 * settings_.t1;
  if (txn.isInvite_ && status < 300) {
    // RFC 6026 Accepted: the 2xx is retransmitted (over any transport, §13.3.1.4)
    // until the ACK arrives; Timer L ends the transaction.
    txn.state_ = State::Accepted;
    txn.interval_ = settings_.t1;
    txn.timerRetransmit_ = timers_.schedule(txn.interval_, [this, id] { serverRetransmit(id); });
    txn.timerEnd_ = timers_.schedule(timerL, [this, id] {
      auto* t = findServer(id);
      if (!t) return;
      t->timerEnd_ = 0;
      const bool acked = t->state_ == State::Confirmed;
      terminateServer(*t);
      if (!acked) user_.onAckTimeout(id);
    });
    return;
  }
  if (txn.isInvite_) {
    // Completed: Timer G retransmits (datagrams only), Timer H gives up on the ACK.
    txn.state_ = State::Completed;
    if (!reliable) {
      txn.interval_ = settings_.t1;
      txn.timerRetransmit_ = timers_.schedule(txn.interval_, [this, id] { serverRetransmit(id); });
    }
    txn.timerEnd_ = timers_.schedule(timerL, [this, id] {
      if (auto* t = findServer(id)) {
        t->timerEnd_ = 0;
        terminateServer(*t);
      }
    });
    return;
  }
  // Non-INVITE Completed: Timer J absorbs retransmissions.
  txn.state_ = State::Completed;
  txn.timerEnd_ = timers_.schedule(reliable ? core::Duration::zero() : timerL, [this, id] {
    if (auto* t = findServer(id)) {
      t->timerEnd_ = 0;
      terminateServer(*t);
    }
  });
}

void TransactionLayer::serverRetransmit(ServerTransactionId id) {
  // Timer G for non-2xx finals, the §13.3.1.4 timer for 2xx: both double up to T2.
  auto* txn = findServer(id);
  if (!txn) return;
  txn->timerRetransmit_ = 0;
  using State = ServerTransaction::State;
  if (txn->state_ != State::Accepted && txn->state_ != State::Completed) return;
  serverSend(*txn);
  txn->interval_ = std::min(txn->interval_ * 2, settings_.t2);
  txn->timerRetransmit_ = timers_.schedule(txn->interval_, [this, id] { serverRetransmit(id); });
}

void TransactionLayer::terminateServer(ServerTransaction& txn) {
  if (txn.state_ == ServerTransaction::State::Terminated) return;
  txn.state_ = ServerTransaction::State::Terminated;
  for (auto* t : {&txn.timerRetransmit_, &txn.timerEnd_, &txn.timerTrying_}) {
    if (*t) timers_.cancel(*t);
    *t = 0;
  }
  serverKeys_.erase(txn.key_);
  if (!txn.mergeKey_.empty()) mergeKeys_.erase(txn.mergeKey_);
  deadServers_.push_back(txn.id_);
  scheduleReap();
}

// ---------------------------------------------------------------------------
// Client transactions

std::string TransactionLayer::viaFor(const OutboundTarget& target,
                                     const std::string& branch) const {
  const auto local = sender_.localContact(target.kind, target.address.family());
  if (!local) return {};
  return "SIP/2.0/" + std::string(transportName(target.kind)) + " " + local->host + ":" +
         std::to_string(local->port) + ";branch=" + branch + ";rport";
}

std::string TransactionLayer::buildRequest(const OutgoingRequest& request,
                                           const std::string& via) const {
  auto b = MessageBuilder::request(request.method, request.requestUri);
  b.header(HeaderId::Via, via);
  for (const auto& [name, value] : request.headers) b.header(name, value);
  if (!request.body.empty()) b.body(request.contentType, request.body);
  return b.serialize();
}

ClientTransactionId TransactionLayer::sendRequest(OutgoingRequest request,
                                                  const OutboundTarget& target,
                                                  ClientTransaction::Listener& listener) {
  auto client = std::make_unique<Client>();
  const ClientTransactionId id = nextId_++;
  client->id = id;
  client->method = request.method;
  client->isInvite = request.method == Method::Invite;
  client->branch = std::string(kMagicCookie) + random_.token(16);
  client->via = viaFor(target, client->branch);
  client->target = target;
  client->listener = &listener;
  client->key = clientKey(client->branch, methodName(request.method));
  client->request = std::move(request);
  auto& c = *client;
  clients_.emplace(id, std::move(client));
  clientKeys_.emplace(c.key, id);
  if (c.via.empty()) {
    clientFail(id, "no listener for transport " + std::string(transportName(target.kind)));
    return id;
  }
  c.bytes = buildRequest(c.request, c.via);
  if (sender_.send(target, c.bytes) == SendStatus::Failed) {
    // Reported from a timer: the caller is still inside sendRequest().
    timers_.schedule(core::Duration::zero(), [this, id] { clientFail(id, "send failed"); });
    return id;
  }
  if (!isReliable(target.kind)) {
    c.interval = settings_.t1;
    c.timerRetransmit = timers_.schedule(c.interval, [this, id] { clientTimerA(id); });
  }
  c.timerTimeout = timers_.schedule(64 * settings_.t1, [this, id] { clientTimeout(id); });
  return id;
}

void TransactionLayer::clientTimerA(ClientTransactionId id) {
  // Timer A (INVITE: doubles) or E (non-INVITE: doubles up to T2) (§17.1.1.2, §17.1.2.2).
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  auto& c = *it->second;
  c.timerRetransmit = 0;
  if (c.state != Client::State::Calling && !(c.state == Client::State::Proceeding && !c.isInvite)) {
    return;
  }
  sender_.send(c.target, c.bytes);
  if (c.isInvite) {
    c.interval *= 2;
  } else {
    c.interval = c.state == Client::State::Proceeding ? settings_.t2
                                                      : std::min(c.interval * 2, settings_.t2);
  }
  c.timerRetransmit = timers_.schedule(c.interval, [this, id] { clientTimerA(id); });
}

void TransactionLayer::clientTimeout(ClientTransactionId id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  auto& c = *it->second;
  c.timerTimeout = 0;
  // Timer B only runs in Calling; Timer F in Trying and Proceeding.
  if (c.state == Client::State::Calling || (!c.isInvite && c.state == Client::State::Proceeding)) {
    auto* listener = c.listener;
    terminateClient(c);
    if (listener) listener->onTimeout(id);
  }
}

void TransactionLayer::clientFail(ClientTransactionId id, std::string reason) {
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second->state == Client::State::Terminated) return;
  auto& c = *it->second;
  auto* listener = c.listener;
  CG_LOG_WARN(kLogTag) << methodName(c.method) << " to " << c.target.address.toString() << " via "
                       << transportName(c.target.kind) << " failed: " << reason;
  terminateClient(c);
  if (listener) listener->onTransportError(id, reason);
}

void TransactionLayer::onSendFailed(const OutboundTarget& target, std::string_view reason) {
  std::vector<ClientTransactionId> failed;
  for (const auto& [id, c] : clients_) {
    if (c->state != Client::State::Terminated && c->target.kind == target.kind &&
        c->target.address == target.address) {
      failed.push_back(id);
    }
  }
  for (auto id : failed) clientFail(id, std::string(reason));
}

void TransactionLayer::onResponse(const SipMessage& response) {
  const auto via = response.topVia();
  const auto cseq = response.cseq();
  auto it = clientKeys_.find(clientKey(via->branch(), cseq->methodName));
  if (it == clientKeys_.end()) {
    user_.onStrayResponse(response);
    return;
  }
  auto& c = *clients_.at(it->second);
  const ClientTransactionId id = c.id;
  const int status = response.statusCode();
  using State = Client::State;
  auto stopTimers = [&] {
    for (auto* t : {&c.timerRetransmit, &c.timerTimeout}) {
      if (*t) timers_.cancel(*t);
      *t = 0;
    }
  };
  if (c.state == State::Terminated) return;
  if (status < 200) {
    if (c.state == State::Completed || c.state == State::Accepted) return;
    if (c.state == State::Calling) {
      c.state = State::Proceeding;
      if (c.isInvite) {
        stopTimers();
      }
    }
    if (c.listener) c.listener->onResponse(id, response);
    if (auto again = clients_.find(id);
        again != clients_.end() && c.isInvite && c.cancelRequested && !c.cancelSent) {
      sendCancelFor(c);
    }
    return;
  }
  if (c.isInvite && status < 300) {
    if (c.state == State::Accepted) {
      // A retransmitted or forked 2xx: the dialog answers it with its ACK.
      user_.onStrayResponse(response);
      return;
    }
    stopTimers();
    c.state = State::Accepted;
    c.timerEnd = timers_.schedule(64 * settings_.t1, [this, id] {
      if (auto found = clients_.find(id); found != clients_.end()) {
        found->second->timerEnd = 0;
        terminateClient(*found->second);
      }
    });
    if (c.listener) c.listener->onResponse(id, response);
    return;
  }
  if (c.state == State::Completed) {
    if (c.isInvite && !c.ackBytes.empty()) sender_.send(c.target, c.ackBytes);
    return;
  }
  if (c.state == State::Accepted) return;
  stopTimers();
  c.state = State::Completed;
  const bool reliable = isReliable(c.target.kind);
  if (c.isInvite) {
    // §17.1.1.3: the ACK for a non-2xx final belongs to the transaction.
    OutgoingRequest ack;
    ack.method = Method::Ack;
    ack.requestUri = c.request.requestUri;
    for (const auto& [name, value] : c.request.headers) {
      const auto hid = headerIdFor(name);
      if (hid == HeaderId::Route || hid == HeaderId::From || hid == HeaderId::CallId ||
          hid == HeaderId::MaxForwards) {
        ack.headers.emplace_back(name, value);
      }
    }
    ack.headers.emplace_back("To", std::string(response.headerValue(HeaderId::To)));
    ack.headers.emplace_back("CSeq", std::to_string(cseq->number) + " ACK");
    c.ackBytes = buildRequest(ack, c.via);
    sender_.send(c.target, c.ackBytes);
  }
  const auto linger = c.isInvite ? (reliable ? core::Duration::zero() : std::chrono::seconds(32))
                                 : (reliable ? core::Duration::zero() : settings_.t4);
  c.timerEnd = timers_.schedule(linger, [this, id] {
    if (auto found = clients_.find(id); found != clients_.end()) {
      found->second->timerEnd = 0;
      terminateClient(*found->second);
    }
  });
  if (c.listener) c.listener->onResponse(id, response);
}

void TransactionLayer::cancel(ClientTransactionId txn) {
  auto it = clients_.find(txn);
  if (it == clients_.end() || !it->second->isInvite) return;
  auto& c = *it->second;
  if (c.cancelSent) return;
  if (c.state == Client::State::Proceeding) {
    sendCancelFor(c);
  } else if (c.state == Client::State::Calling) {
    c.cancelRequested = true;
  }
}

void TransactionLayer::sendCancelFor(Client& invite) {
  // §9.1: same Request-URI, Call-ID, From, To, Route and CSeq number, and the
  // same top Via, so the CANCEL reaches the same server transaction.
  invite.cancelSent = true;
  OutgoingRequest cancel;
  cancel.method = Method::Cancel;
  cancel.requestUri = invite.request.requestUri;
  for (const auto& [name, value] : invite.request.headers) {
    const auto hid = headerIdFor(name);
    if (hid == HeaderId::Route || hid == HeaderId::From || hid == HeaderId::To ||
        hid == HeaderId::CallId || hid == HeaderId::MaxForwards) {
      cancel.headers.emplace_back(name, value);
    } else if (hid == HeaderId::CSeq) {
      if (auto parsed = CSeq::parse(value)) {
        cancel.headers.emplace_back(name, std::to_string(parsed->number) + " CANCEL");
      }
    }
  }
  auto client = std::make_unique<Client>();
  const ClientTransactionId id = nextId_++;
  client->id = id;
  client->method = Method::Cancel;
  client->branch = invite.branch;
  client->via = invite.via;
  client->target = invite.target;
  client->listener = &g_noListener;
  client->key = clientKey(client->branch, "CANCEL");
  client->bytes = buildRequest(cancel, client->via);
  client->request = std::move(cancel);
  auto& c = *client;
  clients_.emplace(id, std::move(client));
  clientKeys_.emplace(c.key, id);
  sender_.send(c.target, c.bytes);
  if (!isReliable(c.target.kind)) {
    c.interval = settings_.t1;
    c.timerRetransmit = timers_.schedule(c.interval, [this, id] { clientTimerA(id); });
  }
  c.timerTimeout = timers_.schedule(64 * settings_.t1, [this, id] { clientTimeout(id); });
}

void TransactionLayer::abandon(ClientTransactionId txn) {
  if (auto it = clients_.find(txn); it != clients_.end()) it->second->listener = nullptr;
}

void TransactionLayer::sendAck(OutgoingRequest ack, const OutboundTarget& target) {
  const auto via = viaFor(target, std::string(kMagicCookie) + random_.token(16));
  if (via.empty()) return;
  sender_.send(target, buildRequest(ack, via));
}

void TransactionLayer::terminateClient(Client& client) {
  if (client.state == Client::State::Terminated) return;
  client.state = Client::State::Terminated;
  for (auto* t : {&client.timerRetransmit, &client.timerTimeout, &client.timerEnd}) {
    if (*t) timers_.cancel(*t);
    *t = 0;
  }
  clientKeys_.erase(client.key);
  deadClients_.push_back(client.id);
  scheduleReap();
}

// Terminated transactions are deleted from a zero-delay timer: the one that
// ended may still be on the stack of the caller.
void TransactionLayer::scheduleReap() {
  if (reapTimer_) return;
  reapTimer_ = timers_.schedule(core::Duration::zero(), [this] {
    reapTimer_ = 0;
    reap();
  });
}

void TransactionLayer::reap() {
  for (auto id : deadServers_) servers_.erase(id);
  for (auto id : deadClients_) clients_.erase(id);
  deadServers_.clear();
  deadClients_.clear();
}

}  // namespace callgate::sip
