#include "api/Guard.h"

#include "auth/SecureRandom.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {
namespace {

using http::ApiError;

bool changesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

Principal authenticate(Services& s, const http::Request& r) {
  Principal p;
  p.address = r.clientAddress;
  const std::string authorization = r.header("authorization");
  if (!authorization.empty()) {
    // RFC 6750 §2.1: "Bearer" is case-insensitive.
    constexpr std::string_view kBearer = "bearer ";
    std::string scheme = authorization.substr(0, kBearer.size());
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto key = scheme == kBearer ? s.keys.authenticate(authorization.substr(kBearer.size()))
                                       : std::nullopt;
    if (!key) throw ApiError(401, "unauthenticated", "invalid API key");
    p.kind = Principal::Kind::ApiKey;
    p.user = key->owner;
    p.keyName = key->name;
    p.role = key->role;
    return p;
  }
  const auto cookie = r.cookies.find(kSessionCookie);
  const auto session = cookie == r.cookies.end() ? std::nullopt : s.sessions.touch(cookie->second);
  if (!session) throw ApiError(401, "unauthenticated", "log in first (no or expired session)");
  p.kind = Principal::Kind::Session;
  p.user = session->user;
  p.role = session->role;
  p.sessionId = session->id;
  p.csrfToken = session->csrfToken;
  p.mustChangePassword = session->mustChangePassword;
  return p;
}

}  // namespace

http::Handler guard(Services& services, http::Access access, GuardedHandler handler) {
  return [&services, access, handler = std::move(handler)](http::Request& r) {
    if (access == http::Access::Public) {
      Principal anonymous;
      anonymous.address = r.clientAddress;
      return handler(r, anonymous);
    }
    // In-process front ends (XML-RPC) authenticate on their own.
    const auto* preset = std::any_cast<Principal>(&r.principal);
    const Principal p = preset ? *preset : authenticate(services, r);
    // A cookie rides along on cross-site requests; the token in a header
    // cannot (OWASP: synchronizer token). API keys carry no ambient
    // credential, so they need none.
    if (p.kind == Principal::Kind::Session && changesState(r.method) &&
        !auth::constantTimeEquals(r.header(kCsrfHeader), p.csrfToken)) {
      throw ApiError(403, "csrf_failed", "missing or wrong X-CSRF-Token header");
    }
    if (p.mustChangePassword && access != http::Access::SelfService) {
      throw ApiError(403, "password_change_required",
                     "change your password first (POST /api/v1/session/password)");
    }
    if (p.role == auth::Role::Callme && access != http::Access::CallmeToken &&
        access != http::Access::SelfService) {
      throw ApiError(403, "forbidden", "the callme role may only issue Call Me tokens");
    }
    if ((access == http::Access::Admin || access == http::Access::CallmeToken) &&
        p.role == auth::Role::ReadOnly) {
      throw ApiError(403, "forbidden", "this needs the admin role");
    }
    return handler(r, p);
  };
}

void addRoute(http::Router& router, Services& services, const std::string& method,
              const std::string& pattern, http::Access access, const std::string& summary,
              GuardedHandler handler, size_t maxBodyBytes) {
  http::Route route;
  route.method = method;
  route.pattern = pattern;
  route.access = access;
  route.summary = summary;
  route.maxBodyBytes = maxBodyBytes;
  route.handler = guard(services, access, std::move(handler));
  router.add(std::move(route));
}

}  // namespace callgate::mgmt::api
