#include "routing/StaticRouter.h"

#include <algorithm>
#include <cctype>

#include "config/ConfigSnapshot.h"

namespace callgate::routing {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

RouteDecision route(const RouteRequest& request, const config::ConfigSnapshot& config) {
  for (const config::Route* r : config.routesByPriority()) {
    if (!r->enabled) continue;
    if (!r->match_user_prefix.empty() && !request.user.starts_with(r->match_user_prefix)) continue;
    if (!r->match_domain.empty() && !equalsIgnoreCase(r->match_domain, request.domain)) continue;
    RouteDecision decision;
    decision.routeName = r->name;
    if (r->target_type == "registered") {
      decision.kind = RouteKind::Registered;
    } else {
      const config::Peer* peer = config.peer(r->peer);
      if (!peer || !peer->enabled) continue;  // a disabled peer falls through to the next route
      decision.kind = RouteKind::Peer;
      decision.peerName = r->peer;
    }
    return decision;
  }
  return {};
}

}  // namespace callgate::routing
