#pragma once
// The static route table: a pure function of (request, configuration) with no
// I/O, so the routing engine that replaces it keeps the same seam.

#include <string>

namespace callgate::config {
class ConfigSnapshot;
}

namespace callgate::routing {

struct RouteRequest {
  std::string user;            // Request-URI user part
  std::string domain;          // Request-URI host
  std::string sourceListener;  // listener the request arrived on
};

enum class RouteKind { Peer, Registered, NoRoute };

struct RouteDecision {
  RouteKind kind = RouteKind::NoRoute;
  std::string routeName;
  std::string peerName;  // for RouteKind::Peer
};

// First enabled route in priority order whose user prefix and domain match
// (empty matches anything; domain compares case-insensitively).
RouteDecision route(const RouteRequest& request, const config::ConfigSnapshot& config);

}  // namespace callgate::routing
