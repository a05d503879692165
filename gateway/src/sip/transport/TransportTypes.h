#pragma once
// Vocabulary shared by the SIP transports, the transaction layer and the B2BUA.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/SocketAddress.h"

namespace callgate::sip {

enum class TransportKind : uint8_t { Udp, Tcp, Tls, Ws, Wss };

// Via transport token: "UDP", "TCP", "TLS", "WS", "WSS" (RFC 3261 §20.42, RFC 7118 §5).
std::string_view transportName(TransportKind kind);
// Case-insensitive; also accepts the config spellings ("udp", "wss").
std::optional<TransportKind> parseTransport(std::string_view token);
inline bool isReliable(TransportKind k) {
  return k != TransportKind::Udp;
}
inline bool isSecure(TransportKind k) {
  return k == TransportKind::Tls || k == TransportKind::Wss;
}
inline bool isWebSocket(TransportKind k) {
  return k == TransportKind::Ws || k == TransportKind::Wss;
}

// Identifies one stream connection (TCP, TLS, WS, WSS) for its life; 0 = none.
using ConnectionId = uint64_t;

// One whole SIP message as it arrived: a datagram, one framed stream message
// or one WebSocket message.
struct InboundPacket {
  std::string bytes;
  TransportKind kind = TransportKind::Udp;
  net::SocketAddress source;  // the remote end
  net::SocketAddress local;   // the local end it arrived on
  ConnectionId connection = 0;
  std::string listenerName;
};

// Where to send: a transport and an address, optionally pinned to an existing
// connection (responses, requests to a registered WebSocket client).
struct OutboundTarget {
  TransportKind kind = TransportKind::Udp;
  net::SocketAddress address;
  ConnectionId connection = 0;  // non-zero: use exactly this connection or fail
  std::string tlsServerName;    // SNI and certificate name for outbound TLS
};

enum class SendStatus : uint8_t {
  Sent,    // handed to the kernel
  Queued,  // waiting for a connection or TLS handshake to complete
  Failed,  // cannot be sent (no listener for that transport, connection gone, ...)
};

// What to put in Via sent-by and Contact for a transport: the advertised host
// of a listener and the port it is bound to.
struct LocalContact {
  std::string host;  // IPv6 in brackets
  uint16_t port = 0;
  std::string listenerName;
};

// The sending half of the transport layer, as the transaction layer sees it
// (an interface so transaction tests run against a recording fake).
class PacketSender {
 public:
  virtual ~PacketSender() = default;
  virtual SendStatus send(const OutboundTarget& target, std::string bytes) = 0;
  // The listener to name in Via/Contact for a message sent over `kind` toward
  // an address of `family` (AF_INET/AF_INET6); nullopt without such a listener.
  virtual std::optional<LocalContact> localContact(TransportKind kind, int family) const = 0;
  // The Origin header of the WebSocket handshake that opened `connection`
  // (RFC 6455 §4.1, §10.2); "" for other transports, a handshake without
  // one, or a connection that is gone.
  virtual std::string connectionOrigin(ConnectionId) const { return {}; }
};

}  // namespace callgate::sip
