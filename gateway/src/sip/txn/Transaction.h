#pragma once
// Types the transaction layer shares with its users (the B2BUA).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/msg/HeaderTypes.h"
#include "sip/transport/TransportTypes.h"

namespace callgate::sip {

class SipMessage;

using ServerTransactionId = uint64_t;
using ClientTransactionId = uint64_t;

// A request the transaction layer sends: everything but Via (added per
// transaction) and Content-Length (computed).
struct OutgoingRequest {
  Method method = Method::Unknown;
  std::string requestUri;
  std::vector<std::pair<std::string, std::string>> headers;  // in order
  std::string contentType;
  std::string body;
};

// Where a request came from.
struct RequestSource {
  TransportKind kind = TransportKind::Udp;
  net::SocketAddress source;
  net::SocketAddress local;
  ConnectionId connection = 0;
  std::string listenerName;
};

namespace ClientTransaction {
// Receives what happens to a request we sent. Callbacks may call back into the
// transaction layer (cancel, abandon, sendRequest).
class Listener {
 public:
  virtual ~Listener() = default;
  // Every response; for INVITE every 2xx too (RFC 6026: forks and retransmissions).
  virtual void onResponse(ClientTransactionId txn, const SipMessage& response) = 0;
  // Timer B or F fired: the user treats it as 408 (RFC 3261 §8.1.3.1).
  virtual void onTimeout(ClientTransactionId txn) = 0;
  // The request could not be sent: the user treats it as 503 (§8.1.3.1).
  virtual void onTransportError(ClientTransactionId txn, std::string_view reason) = 0;
};
}  // namespace ClientTransaction

}  // namespace callgate::sip
