#include "sip/transport/TransportLayer.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/Counters.h"
#include "core/EventLoop.h"
#include "core/Log.h"
#include "net/TlsContext.h"
#include "net/WebSocket.h"
#include "sip/msg/Framing.h"

namespace callgate::sip {
namespace {

constexpr std::string_view kLogTag = "sip.transport";
constexpr size_t kMaxHandshakeBytes = 16384;
constexpr size_t kMaxOriginBytes = 512;

std::string errnoText(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

struct Counters {
  core::Counter& datagramsIn = core::counter("sip.transport.udp.datagrams_in");
  core::Counter& datagramsOut = core::counter("sip.transport.udp.datagrams_out");
  core::Counter& sendFailures = core::counter("sip.transport.send_failures");
  core::Counter& framingErrors = core::counter("sip.transport.stream.framing_errors");
  core::Counter& wsErrors = core::counter("sip.transport.ws.protocol_errors");
  core::Counter& wsRejected = core::counter("sip.transport.ws.handshakes_rejected");
  core::Counter& tlsFailures = core::counter("sip.transport.tls.handshake_failures");
  core::Counter& opened = core::counter("sip.transport.connections_opened");
  core::Counter& closed = core::counter("sip.transport.connections_closed");
  core::Counter& overflow = core::counter("sip.transport.queue_overflows");
};
Counters& counters() {
  static Counters c;
  return c;
}

}  // namespace

struct TransportLayer::Socket {
  ListenerSpec spec;
  int fd = -1;
  net::SocketAddress bound;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

struct TransportLayer::Connection {
  enum class Phase { Connecting, Handshaking, Upgrading, Open, Closed };
  ConnectionId id = 0;
  TransportKind kind = TransportKind::Tcp;
  int fd = -1;
  net::SocketAddress remote;
  net::SocketAddress local;
  std::string listenerName;
  bool outbound = false;
  SSL* ssl = nullptr;
  Phase phase = Phase::Open;
  std::string in;
  std::string out;
  std::unique_ptr<net::ws::FrameDecoder> ws;
  core::TimePoint lastActivity;
  core::TimePoint pingSentAt;
  bool pingOutstanding = false;
  bool closeAfterFlush = false;
  uint32_t interest = 0;
  OutboundTarget origin;  // what send() asked for, to report failures
  std::string wsOrigin;   // Origin of the WebSocket handshake, for Call Me checks
  ~Connection() {
    if (ssl) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
  }
};

TransportLayer::TransportLayer(core::EventLoop& loop, Listener& listener, Settings settings)
    : loop_(loop), listener_(listener), settings_(settings) {
  readBuffer_.resize(65536);
  const auto period = std::max<core::Duration>(
      std::chrono::seconds(1), std::min(settings_.idleTimeout, settings_.wsPingInterval) / 4);
  sweepTimer_ = loop_.runAfter(period, [this] { sweep(); });
}

TransportLayer::~TransportLayer() {
  if (sweepTimer_) loop_.cancelTimer(sweepTimer_);
  if (reapTimer_) loop_.cancelTimer(reapTimer_);
  for (auto& [id, c] : connections_) {
    if (c->fd >= 0) loop_.removeFd(c->fd);
  }
  for (auto& s : sockets_) loop_.removeFd(s->fd);
}

// ---------------------------------------------------------------------------
// Listeners

net::SocketAddress TransportLayer::addListener(const ListenerSpec& spec) {
  const bool stream = spec.kind != TransportKind::Udp;
  if (isSecure(spec.kind) && !spec.tls) {
    throw std::runtime_error("listener " + spec.name + ": TLS needs a certificate");
  }
  auto socket = std::make_unique<Socket>();
  socket->spec = spec;
  const int family = spec.bind.family();
  socket->fd =
      ::socket(family, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (socket->fd < 0)
    throw std::runtime_error("listener " + spec.name + ": " + errnoText("socket"));
  const int one = 1;
  ::setsockopt(socket->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (family == AF_INET6) ::setsockopt(socket->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (!stream) {
    const int size = 4 << 20;
    ::setsockopt(socket->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  if (::bind(socket->fd, spec.bind.sockaddrPtr(), spec.bind.length()) != 0) {
    throw std::runtime_error("listener " + spec.name + " on " + spec.bind.toString() + ": " +
                             errnoText("bind"));
  }
  if (stream && ::listen(socket->fd, 512) != 0) {
    throw std::runtime_error("listener " + spec.name + ": " + errnoText("listen"));
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(socket->fd, reinterpret_cast<sockaddr*>(&ss), &len);
  socket->bound = net::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
  Socket* raw = socket.get();
  loop_.addFd(socket->fd, core::kReadable, [this, raw, stream](uint32_t) {
    if (stream) {
      onAccept(*raw);
    } else {
      onUdpReadable(*raw);
    }
  });
  sockets_.push_back(std::move(socket));
  return raw->bound;
}

void TransportLayer::removeListener(std::string_view name) {
  auto it = std::find_if(sockets_.begin(), sockets_.end(),
                         [&](const auto& s) { return s->spec.name == name; });
  if (it == sockets_.end()) return;
  loop_.removeFd((*it)->fd);
  sockets_.erase(it);
}

std::optional<LocalContact> TransportLayer::localContact(TransportKind kind, int family) const {
  const Socket* best = nullptr;
  for (const auto& s : sockets_) {
    if (s->spec.kind != kind) continue;
    if (!best || (s->bound.family() == family && best->bound.family() != family)) best = s.get();
  }
  if (!best) return std::nullopt;
  LocalContact c;
  if (!best->spec.advertisedHost.empty()) {
    const auto& h = best->spec.advertisedHost;
    c.host = h.find(':') != std::string::npos && h.front() != '[' ? "[" + h + "]" : h;
  } else {
    c.host = best->bound.hostForUri();
  }
  c.port = best->bound.port();
  c.listenerName = best->spec.name;
  return c;
}

void TransportLayer::onUdpReadable(Socket& socket) {
  // Bounded per wakeup so one flooded socket cannot starve the others.
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    const auto n = ::recvfrom(socket.fd, readBuffer_.data(), readBuffer_.size(), 0,
                              reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) return;
    counters().datagramsIn.inc();
    std::string_view bytes(readBuffer_.data(), static_cast<size_t>(n));
    // CRLF keepalives and empty datagrams carry nothing (RFC 5626 §3.5.1).
    if (bytes.find_first_not_of("\r\n") == std::string_view::npos) continue;
    InboundPacket packet;
    packet.bytes.assign(bytes);
    packet.kind = TransportKind::Udp;
    packet.source = net::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&from), len);
    packet.local = socket.bound;
    packet.listenerName = socket.spec.name;
    listener_.onTransportPacket(std::move(packet));
  }
}

void TransportLayer::onAccept(Socket& socket) {
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    const int fd = ::accept4(socket.fd, reinterpret_cast<sockaddr*>(&from), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (connections_.size() >= settings_.maxConnections) {
      CG_LOG_RATE_LIMITED_WARN(kLogTag) << "connection limit reached, refusing";
      ::close(fd);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto remote = net::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&from), len);
    auto& c = adopt(fd, socket.spec.kind, remote, socket.bound, socket.spec.name, false,
                    isSecure(socket.spec.kind) ? socket.spec.tls : nullptr);
    if (c.ssl) {
      SSL_set_accept_state(c.ssl);
      c.phase = Connection::Phase::Handshaking;
    } else {
      c.phase = isWebSocket(c.kind) ? Connection::Phase::Upgrading : Connection::Phase::Open;
    }
    updateInterest(c);
  }
}

TransportLayer::Connection& TransportLayer::adopt(int fd, TransportKind kind,
                                                  const net::SocketAddress& remote,
                                                  const net::SocketAddress& local,
                                                  const std::string& listenerName, bool outbound,
                                                  const net::TlsContext* tls) {
  auto c = std::make_unique<Connection>();
  c->id = nextConnectionId_++;
  c->kind = kind;
  c->fd = fd;
  c->remote = remote;
  c->local = local;
  c->listenerName = listenerName;
  c->outbound = outbound;
  c->lastActivity = loop_.clock().now();
  if (tls) {
    c->ssl = tls->newSession();
    SSL_set_fd(c->ssl, fd);
  }
  const ConnectionId id = c->id;
  auto& ref = *c;
  connections_.emplace(id, std::move(c));
  counters().opened.inc();
  loop_.addFd(fd, core::kReadable, [this, id](uint32_t events) { onConnectionEvent(id, events); });
  ref.interest = core::kReadable;
  CG_LOG_DEBUG(kLogTag) << transportName(kind) << " connection " << id << " "
                        << (outbound ? "to " : "from ") << remote.toString();
  return ref;
}

// ---------------------------------------------------------------------------
// Connections

void TransportLayer::updateInterest(Connection& c) {
  uint32_t want = core::kReadable;
  if (c.phase == Connection::Phase::Connecting) want = core::kWritable;
  if (c.phase == Connection::Phase::Handshaking && c.ssl && SSL_want_write(c.ssl)) {
    want |= core::kWritable;
  }
  if (!c.out.empty() && c.phase != Connection::Phase::Handshaking) want |= core::kWritable;
  if (want != c.interest) {
    loop_.modifyFd(c.fd, want);
    c.interest = want;
  }
}

void TransportLayer::onConnectionEvent(ConnectionId id, uint32_t events) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& c = *it->second;
  if (c.phase == Connection::Phase::Connecting) {
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0 || (events & core::kError)) {
      const std::string why =
          std::string("connect: ") + std::strerror(error ? error : ECONNREFUSED);
      listener_.onSendFailed(c.origin, why);
      close(c, why);
      return;
    }
    if (c.ssl) {
      c.phase = Connection::Phase::Handshaking;
      driveHandshake(c);
      return;
    }
    c.phase = Connection::Phase::Open;
    flush(c);
    return;
  }
  if (c.phase == Connection::Phase::Handshaking) {
    driveHandshake(c);
    return;
  }
  if (events & core::kWritable) flush(c);
  if (c.phase == Connection::Phase::Closed) return;
  if (events & (core::kReadable | core::kHangup | core::kError)) readFrom(c);
}

void TransportLayer::driveHandshake(Connection& c) {
  ERR_clear_error();
  const int rc = SSL_do_handshake(c.ssl);
  if (rc == 1) {
    c.phase =
        isWebSocket(c.kind) && !c.outbound ? Connection::Phase::Upgrading : Connection::Phase::Open;
    flush(c);
    if (c.phase != Connection::Phase::Closed) readFrom(c);
    return;
  }
  const int err = SSL_get_error(c.ssl, rc);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    updateInterest(c);
    return;
  }
  counters().tlsFailures.inc();
  const std::string why = "TLS handshake failed: " + net::opensslError();
  CG_LOG_RATE_LIMITED_WARN(kLogTag) << c.remote.toString() << ": " << why;
  if (c.outbound) listener_.onSendFailed(c.origin, why);
  close(c, why);
}

void TransportLayer::readFrom(Connection& c) {
  bool eof = false;
  for (int round = 0; round < 16; ++round) {
    ssize_t n;
    if (c.ssl) {
      ERR_clear_error();
      const int rc = SSL_read(c.ssl, readBuffer_.data(), static_cast<int>(readBuffer_.size()));
      if (rc <= 0) {
        const int err = SSL_get_error(c.ssl, rc);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) break;
        eof = true;
        break;
      }
      n = rc;
    } else {
      n = ::recv(c.fd, readBuffer_.data(), readBuffer_.size(), 0);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n <= 0) {
        eof = true;
        break;
      }
    }
    c.lastActivity = loop_.clock().now();
    c.in.append(readBuffer_.data(), static_cast<size_t>(n));
    if (c.in.size() > settings_.maxMessageBytes + kMaxHandshakeBytes) break;
  }
  processInput(c);
  if (eof && c.phase != Connection::Phase::Closed) close(c, "closed by peer");
}

void TransportLayer::processInput(Connection& c) {
  if (c.phase == Connection::Phase::Upgrading) {
    auto r = net::ws::acceptHandshake(c.in, "sip", kMaxHandshakeBytes);
    if (r.status == net::ws::HandshakeResult::Status::Incomplete) return;
    queue(c, r.response);
    if (r.status == net::ws::HandshakeResult::Status::Rejected) {
      counters().wsRejected.inc();
      CG_LOG_RATE_LIMITED_WARN(kLogTag)
          << "WebSocket handshake from " << c.remote.toString() << " rejected: " << r.error;
      c.closeAfterFlush = true;
      flush(c);
      return;
    }
    c.in.erase(0, r.consumed);
    // Kept for the life of the connection: a Call Me button admits only the
    // origins it lists. Bounded: an origin is scheme://host:port.
    c.wsOrigin = r.origin.substr(0, kMaxOriginBytes);
    c.phase = Connection::Phase::Open;
    c.ws = std::make_unique<net::ws::FrameDecoder>(settings_.maxMessageBytes);
    flush(c);
  }
  if (c.phase != Connection::Phase::Open) return;
  if (isWebSocket(c.kind)) {
    processWebSocket(c);
  } else {
    processStream(c);
  }
}

void TransportLayer::processStream(Connection& c) {
  while (!c.in.empty() && c.phase == Connection::Phase::Open) {
    // RFC 5626 §4.4.1: a CRLFCRLF ping gets a CRLF pong.
    if (const size_t keepalive = leadingKeepaliveBytes(c.in); keepalive > 0) {
      if (c.in.starts_with("\r\n\r\n")) queue(c, "\r\n");
      c.in.erase(0, keepalive);
      continue;
    }
    std::string error;
    const auto length = sipStreamMessageLength(c.in, settings_.maxMessageBytes, &error);
    if (!error.empty()) {
      counters().framingErrors.inc();
      CG_LOG_RATE_LIMITED_WARN(kLogTag)
          << "closing " << transportName(c.kind) << " connection from " << c.remote.toString()
          << ": " << error;
      close(c, error);
      return;
    }
    if (!length) return;
    std::string message = c.in.substr(0, *length);
    c.in.erase(0, *length);
    deliver(c, std::move(message));
  }
}

void TransportLayer::processWebSocket(Connection& c) {
  c.ws->feed(c.in);
  c.in.clear();
  using Kind = net::ws::FrameDecoder::Event::Kind;
  while (c.phase == Connection::Phase::Open) {
    auto e = c.ws->next();
    switch (e.kind) {
      case Kind::NeedMore:
        return;
      case Kind::Message:
        deliver(c, std::move(e.payload));
        break;
      case Kind::Ping:
        queue(c, net::ws::encodeFrame(net::ws::Opcode::Pong, e.payload));
        break;
      case Kind::Pong:
        c.pingOutstanding = false;
        break;
      case Kind::Close:
        queue(c, net::ws::encodeClose(1000, ""));
        c.closeAfterFlush = true;
        flush(c);
        return;
      case Kind::Error:
        counters().wsErrors.inc();
        CG_LOG_RATE_LIMITED_WARN(kLogTag)
            << "WebSocket error from " << c.remote.toString() << ": " << e.error;
        queue(c, net::ws::encodeClose(e.closeCode, e.error));
        c.closeAfterFlush = true;
        flush(c);
        return;
    }
  }
}

void TransportLayer::deliver(Connection& c, std::string bytes) {
  InboundPacket packet;
  packet.bytes = std::move(bytes);
  packet.kind = c.kind;
  packet.source = c.remote;
  packet.local = c.local;
  packet.connection = c.id;
  packet.listenerName = c.listenerName;
  listener_.onTransportPacket(std::move(packet));
}

bool TransportLayer::queue(Connection& c, std::string_view bytes) {
  if (c.out.size() + bytes.size() > settings_.maxQueuedBytesPerConnection) {
    counters().overflow.inc();
    close(c, "send queue overflow");
    return false;
  }
  c.out.append(bytes);
  return true;
}

void TransportLayer::flush(Connection& c) {
  if (c.phase == Connection::Phase::Connecting || c.phase == Connection::Phase::Handshaking ||
      c.phase == Connection::Phase::Closed) {
    return;
  }
  while (!c.out.empty()) {
    ssize_t n;
    if (c.ssl) {
      ERR_clear_error();
      const int rc = SSL_write(c.ssl, c.out.data(), static_cast<int>(c.out.size()));
      if (rc <= 0) {
        const int err = SSL_get_error(c.ssl, rc);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) break;
        close(c, "TLS write failed");
        return;
      }
      n = rc;
    } else {
      n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n < 0) {
        close(c, errnoText("send"));
        return;
      }
    }
    c.out.erase(0, static_cast<size_t>(n));
  }
  if (c.out.empty() && c.closeAfterFlush) {
    close(c, "closed after final write");
    return;
  }
  updateInterest(c);
}

void TransportLayer::close(Connection& c, std::string_view why) {
  if (c.phase == Connection::Phase::Closed) return;
  c.phase = Connection::Phase::Closed;
  counters().closed.inc();
  CG_LOG_DEBUG(kLogTag) << transportName(c.kind) << " connection " << c.id << " with "
                        << c.remote.toString() << " closed: " << why;
  loop_.removeFd(c.fd);
  const ConnectionId id = c.id;
  auto it = connections_.find(id);
  if (it != connections_.end()) {
    closed_.push_back(std::move(it->second));
    connections_.erase(it);
  }
  if (!reapTimer_) {
    reapTimer_ = loop_.runAfter(core::Duration::zero(), [this] {
      reapTimer_ = 0;
      closed_.clear();
    });
  }
  listener_.onConnectionClosed(id);
}

TransportLayer::Connection* TransportLayer::openOutbound(const OutboundTarget& target) {
  if (target.kind == TransportKind::Tls && !clientTls_) return nullptr;
  const int fd = ::socket(target.address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, target.address.sockaddrPtr(), target.address.length()) != 0 &&
      errno != EINPROGRESS) {
    ::close(fd);
    return nullptr;
  }
  std::string listenerName;
  net::SocketAddress local;
  for (const auto& s : sockets_) {
    if (s->spec.kind == target.kind) {
      listenerName = s->spec.name;
      local = s->bound;
      break;
    }
  }
  auto& c = adopt(fd, target.kind, target.address, local, listenerName, true,
                  target.kind == TransportKind::Tls ? clientTls_ : nullptr);
  c.origin = target;
  c.phase = Connection::Phase::Connecting;
  if (c.ssl) {
    SSL_set_connect_state(c.ssl);
    if (!target.tlsServerName.empty()) {
      // SSL_set_tlsext_host_name() without its C cast.
      SSL_ctrl(c.ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(target.tlsServerName.c_str()));
      if (clientTls_->verifiesPeers()) SSL_set1_host(c.ssl, target.tlsServerName.c_str());
    }
  }
  const ConnectionId id = c.id;
  loop_.runAfter(settings_.connectTimeout, [this, id] {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    auto& conn = *it->second;
    if (conn.phase == Connection::Phase::Connecting ||
        conn.phase == Connection::Phase::Handshaking) {
      listener_.onSendFailed(conn.origin, "connect timeout");
      close(conn, "connect timeout");
    }
  });
  updateInterest(c);
  return &c;
}

SendStatus TransportLayer::send(const OutboundTarget& target, std::string bytes) {
  if (target.kind == TransportKind::Udp) {
    const Socket* best = nullptr;
    for (const auto& s : sockets_) {
      if (s->spec.kind != TransportKind::Udp || s->bound.family() != target.address.family())
        continue;
      // Prefer a loopback listener for loopback targets and the reverse.
      if (!best || (s->bound.isLoopback() == target.address.isLoopback() &&
                    best->bound.isLoopback() != target.address.isLoopback())) {
        best = s.get();
      }
    }
    if (!best) {
      counters().sendFailures.inc();
      return SendStatus::Failed;
    }
    const auto n = ::sendto(best->fd, bytes.data(), bytes.size(), 0, target.address.sockaddrPtr(),
                            target.address.length());
    if (n < 0) {
      counters().sendFailures.inc();
      return SendStatus::Failed;
    }
    counters().datagramsOut.inc();
    return SendStatus::Sent;
  }
  Connection* c = nullptr;
  if (target.connection != 0) {
    auto it = connections_.find(target.connection);
    if (it != connections_.end() && it->second->phase != Connection::Phase::Closed) {
      c = it->second.get();
    }
  } else {
    // Reuse any open connection of that kind to that address (RFC 3261 §18.1.1).
    for (auto& [id, conn] : connections_) {
      if (conn->kind == target.kind && conn->remote == target.address &&
          conn->phase != Connection::Phase::Closed && !conn->closeAfterFlush) {
        c = conn.get();
        break;
      }
    }
    if (!c && !isWebSocket(target.kind)) c = openOutbound(target);
  }
  if (!c) {
    counters().sendFailures.inc();
    return SendStatus::Failed;
  }
  if (isWebSocket(c->kind)) {
    if (c->phase != Connection::Phase::Open) return SendStatus::Failed;
    if (!queue(*c, net::ws::encodeFrame(net::ws::Opcode::Text, bytes))) return SendStatus::Failed;
  } else if (!queue(*c, bytes)) {
    return SendStatus::Failed;
  }
  const bool ready = c->phase == Connection::Phase::Open;
  flush(*c);
  return ready ? SendStatus::Sent : SendStatus::Queued;
}

void TransportLayer::sweep() {
  const auto now = loop_.clock().now();
  std::vector<ConnectionId> idle;
  for (auto& [id, c] : connections_) {
    if (c->phase == Connection::Phase::Closed) continue;
    if (isWebSocket(c->kind) && c->phase == Connection::Phase::Open) {
      // A ping per interval; no answer (pong or any data) by the next one closes.
      if (c->pingOutstanding && now - c->pingSentAt >= settings_.wsPingInterval) {
        idle.push_back(id);
      } else if (!c->pingOutstanding && now - c->lastActivity >= settings_.wsPingInterval) {
        c->pingOutstanding = true;
        c->pingSentAt = now;
        queue(*c, net::ws::encodeFrame(net::ws::Opcode::Ping, "callgate"));
        flush(*c);
      }
      if (c->pingOutstanding && c->lastActivity > c->pingSentAt) c->pingOutstanding = false;
    } else if (now - c->lastActivity >= settings_.idleTimeout) {
      idle.push_back(id);
    }
  }
  for (auto id : idle) {
    if (auto it = connections_.find(id); it != connections_.end()) close(*it->second, "idle");
  }
  const auto period = std::max<core::Duration>(
      std::chrono::seconds(1), std::min(settings_.idleTimeout, settings_.wsPingInterval) / 4);
  sweepTimer_ = loop_.runAfter(period, [this] { sweep(); });
}

std::vector<TransportLayer::ConnectionInfo> TransportLayer::connections() const {
  std::vector<ConnectionInfo> out;
  for (const auto& [id, c] : connections_) {
    out.push_back({id, c->kind, c->remote, c->local, c->listenerName, c->outbound, c->wsOrigin});
  }
  return out;
}

std::string TransportLayer::connectionOrigin(ConnectionId id) const {
  const auto it = connections_.find(id);
  return it == connections_.end() ? std::string() : it->second->wsOrigin;
}

}  // namespace callgate::sip
