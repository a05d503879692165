#pragma once
// SIP transports on the signalling thread's event loop: UDP, TCP, TLS, and
// SIP over WebSocket (RFC 7118) on WS and WSS. Frames inbound bytes into
// whole messages, reuses connections, keeps them alive (CRLF keepalive,
// WebSocket ping) and closes idle or misbehaving ones. No thread per
// connection.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/Clock.h"
#include "core/TimerQueue.h"
#include "sip/transport/TransportTypes.h"

namespace callgate::core {
class EventLoop;
}
namespace callgate::net {
class TlsContext;
}

namespace callgate::sip {

class TransportLayer final : public PacketSender {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onTransportPacket(InboundPacket&& packet) = 0;
    virtual void onConnectionClosed(ConnectionId) {}
    // A message accepted as Queued could not be delivered (connect or TLS failure).
    virtual void onSendFailed(const OutboundTarget&, std::string_view) {}
  };

  struct Settings {
    size_t maxMessageBytes = 65535;
    core::Duration idleTimeout = std::chrono::seconds(600);
    core::Duration wsPingInterval = std::chrono::seconds(30);
    core::Duration connectTimeout = std::chrono::seconds(10);
    size_t maxConnections = 10000;
    size_t maxQueuedBytesPerConnection = 1 << 20;
  };

  struct ListenerSpec {
    std::string name;
    TransportKind kind = TransportKind::Udp;
    net::SocketAddress bind;
    std::string advertisedHost;  // "" = the bound IP
    const net::TlsContext* tls =
        nullptr;  // for Tls/Wss; owned by the caller, outlives the listener
  };

  struct ConnectionInfo {
    ConnectionId id = 0;
    TransportKind kind = TransportKind::Tcp;
    net::SocketAddress remote;
    net::SocketAddress local;
    std::string listenerName;
    bool outbound = false;
    std::string origin;  // WebSocket handshake Origin
  };

  TransportLayer(core::EventLoop& loop, Listener& listener, Settings settings);
  ~TransportLayer() override;
  TransportLayer(const TransportLayer&) = delete;
  TransportLayer& operator=(const TransportLayer&) = delete;

  // Returns the bound address (port 0 becomes the real port); throws
  // std::runtime_error naming the listener when the socket cannot be opened.
  net::SocketAddress addListener(const ListenerSpec& spec);
  // Connections accepted by it keep running until they close or idle out.
  void removeListener(std::string_view name);
  void setClientTlsContext(const net::TlsContext* context) { clientTls_ = context; }

  SendStatus send(const OutboundTarget& target, std::string bytes) override;
  std::optional<LocalContact> localContact(TransportKind kind, int family) const override;
  std::string connectionOrigin(ConnectionId id) const override;

  std::vector<ConnectionInfo> connections() const;
  size_t connectionCount() const { return connections_.size(); }

 private:
  struct Socket;
  struct Connection;

  void onUdpReadable(Socket& socket);
  void onAccept(Socket& socket);
  void onConnectionEvent(ConnectionId id, uint32_t events);
  void driveHandshake(Connection& c);
  void readFrom(Connection& c);
  void processInput(Connection& c);
  void processStream(Connection& c);
  void processWebSocket(Connection& c);
  void deliver(Connection& c, std::string bytes);
  bool queue(Connection& c, std::string_view bytes);
  void flush(Connection& c);
  void updateInterest(Connection& c);
  void close(Connection& c, std::string_view why);
  Connection* openOutbound(const OutboundTarget& target);
  Connection& adopt(int fd, TransportKind kind, const net::SocketAddress& remote,
                    const net::SocketAddress& local, const std::string& listenerName, bool outbound,
                    const net::TlsContext* tls);
  void sweep();

  // passed in
  core::EventLoop& loop_;
  Listener& listener_;
  // owned
  Settings settings_;
  const net::TlsContext* clientTls_ = nullptr;
  std::vector<std::unique_ptr<Socket>> sockets_;
  std::unordered_map<ConnectionId, std::unique_ptr<Connection>> connections_;
  std::vector<std::unique_ptr<Connection>> closed_;  // freed outside their own handlers
  ConnectionId nextConnectionId_ = 1;
  core::TimerId sweepTimer_ = 0;
  core::TimerId reapTimer_ = 0;
  std::string readBuffer_;
};

}  // namespace callgate::sip
