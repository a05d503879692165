#include "sip/transport/TransportTypes.h"

#include <cctype>

namespace callgate::sip {

std::string_view transportName(TransportKind kind) {
  switch (kind) {
    case TransportKind::Udp:
      return "UDP";
    case TransportKind::Tcp:
      return "TCP";
    case TransportKind::Tls:
      return "TLS";
    case TransportKind::Ws:
      return "WS";
    case TransportKind::Wss:
      return "WSS";
  }
  return "UDP";
}

std::optional<TransportKind> parseTransport(std::string_view token) {
  std::string upper;
  for (char c : token)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (upper == "UDP") return TransportKind::Udp;
  if (upper == "TCP") return TransportKind::Tcp;
  if (upper == "TLS") return TransportKind::Tls;
  if (upper == "WS") return TransportKind::Ws;
  if (upper == "WSS") return TransportKind::Wss;
  return std::nullopt;
}

}  // namespace callgate::sip
