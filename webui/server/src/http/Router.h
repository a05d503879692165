#pragma once
// Method + path pattern → handler. Patterns are literal segments and {name}
// placeholders ("/api/v1/peers/{name}"); a placeholder matches one whole
// percent-decoded segment. The table is public so documentation (OpenAPI)
// and other front ends (XML-RPC) can walk it.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/Message.h"

namespace callgate::mgmt::http {

// Who may call a route; enforced before the handler runs.
enum class Access {
  Public,       // no authentication (login)
  SelfService,  // any authenticated caller, even before the first password change
  Read,         // any role
  Admin,        // admin role only
  CallmeToken,  // admin, or the callme role (a shop's backend issuing tokens)
};

// What a route's request body must be. JSON bodies are parsed into
// Request::json before the handler runs; XML bodies (XML-RPC) are handed
// over as text for the handler's own parser.
enum class BodyKind { Json, Xml };

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::Admin;
  Handler handler;
  size_t maxBodyBytes = 0;  // 0: the server's limit
  BodyKind body = BodyKind::Json;
  std::string summary;                // one line, for documentation
  std::vector<std::string> segments;  // pattern split at '/'
};

struct RouteMatch {
  const Route* route = nullptr;  // null: nothing matched
  bool pathMatched = false;      // some route has this path with another method (→ 405)
  std::map<std::string, std::string> params;
};

// Splits "/a/b%2Fc" into {"a", "b/c"}; nullopt for bad percent-encoding or
// a NUL byte.
std::optional<std::vector<std::string>> splitPath(std::string_view path);

class Router {
 public:
  void add(Route route);
  RouteMatch match(const std::string& method, const std::vector<std::string>& segments) const;
  const std::vector<Route>& routes() const { return routes_; }
  // The methods allowed on a path, for the Allow header of a 405.
  std::string allowedMethods(const std::vector<std::string>& segments) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace callgate::mgmt::http
