// Logging in and out, and the caller's own password.
//   POST   /api/v1/session           {"user", "password"} → cookie + CSRF token
//   GET    /api/v1/session           who am I
//   DELETE /api/v1/session           log out
//   POST   /api/v1/session/password  {"current_password", "new_password"}

#include <filesystem>

#include "api/Guard.h"
#include "api/Resources.h"
#include "api/StoreErrors.h"
#include "auth/InitialAdmin.h"
#include "core/Log.h"
#include "http/Json.h"

namespace callgate::mgmt::api {
namespace {

using http::Access;
using http::ApiError;
using http::Request;
using http::Response;

constexpr std::string_view kLogTag = "mgmt.auth";

// RFC 6265 §4.1.2.5/6 and the SameSite draft: never over plain HTTP, never
// readable by scripts, never sent on cross-site requests.
std::string sessionCookie(const std::string& value, bool expire) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Strict" +
         (expire ? "; Max-Age=0" : "");
}

void checkThrottle(Services& s, const std::string& user, const std::string& address) {
  const auto wait = s.throttle.retryAfter(user, address);
  if (wait.count() > 0) {
    ApiError e(429, "too_many_attempts",
               "too many failed attempts; retry in " + std::to_string(wait.count()) + " s");
    e.retryAfterSeconds = static_cast<int>(wait.count());
    throw e;
  }
}

Poco::JSON::Object::Ptr describe(const Principal& p) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("user", p.user);
  o->set("role", std::string(auth::roleName(p.role)));
  o->set("must_change_password", p.mustChangePassword);
  o->set("auth", p.kind == Principal::Kind::ApiKey     ? "api_key"
                 : p.kind == Principal::Kind::Password ? "basic"
                                                       : "session");
  if (p.kind == Principal::Kind::ApiKey) o->set("api_key", p.keyName);
  if (p.kind == Principal::Kind::Session) o->set("csrf_token", p.csrfToken);
  return o;
}

void requireSession(const Principal& p) {
  if (p.kind != Principal::Kind::Session) {
    throw ApiError(400, "not_a_session", "this needs a login session, not an API key");
  }
}

}  // namespace

void addSessionRoutes(http::Router& router, Services& s) {
  const std::string base = std::string(kApiBase) + "/session";

  addRoute(
      router, s, "POST", base, Access::Public, "log in",
      [&s](Request& r, const Principal& anonymous) {
        const auto& body = r.bodyObject();
        http::onlyFields(body, {"user", "password"});
        const std::string user = http::requiredString(body, "user");
        const std::string password = http::requiredString(body, "password");
        if (user.size() > 64 || password.size() > auth::UserStore::kMaxPasswordLength) {
          throw ApiError(401, "invalid_credentials", "wrong user name or password");
        }
        checkThrottle(s, user, anonymous.address);
        const auto found = s.users.authenticate(user, password);
        if (!found) {
          s.throttle.recordFailure(user, anonymous.address);
          CG_LOG_WARN(kLogTag) << "failed login for '" << user << "' from " << anonymous.address;
          s.events.record("login_failed", user, anonymous.address, "wrong user name or password");
          throw ApiError(401, "invalid_credentials", "wrong user name or password");
        }
        s.throttle.recordSuccess(user);
        // A new id at every login: no session fixation.
        const auto session = s.sessions.create(found->name, found->role, found->mustChangePassword);
        CG_LOG_INFO(kLogTag) << "'" << found->name << "' logged in from " << anonymous.address;
        s.events.record("login", found->name, anonymous.address, "logged in");
        Principal p;
        p.kind = Principal::Kind::Session;
        p.user = found->name;
        p.role = found->role;
        p.mustChangePassword = found->mustChangePassword;
        p.csrfToken = session.csrfToken;
        Response out = Response::of(describe(p));
        out.headers.emplace_back("Set-Cookie", sessionCookie(session.id, false));
        return out;
      });

  addRoute(router, s, "GET", base, Access::SelfService, "who am I",
           [](Request&, const Principal& who) { return Response::of(describe(who)); });

  addRoute(router, s, "DELETE", base, Access::SelfService, "log out",
           [&s](Request&, const Principal& who) {
             requireSession(who);
             s.sessions.remove(who.sessionId);
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
             o->set("logged_out", true);
             Response out = Response::of(o);
             out.headers.emplace_back("Set-Cookie", sessionCookie("", true));
             return out;
           });

  addRoute(
      router, s, "POST", base + "/password", Access::SelfService, "change your own password",
      [&s](Request& r, const Principal& who) {
        requireSession(who);
        const auto& body = r.bodyObject();
        http::onlyFields(body, {"current_password", "new_password"});
        const std::string current = http::requiredString(body, "current_password");
        const std::string next = http::requiredString(body, "new_password");
        checkThrottle(s, who.user, who.address);
        if (!s.users.authenticate(who.user, current)) {
          s.throttle.recordFailure(who.user, who.address);
          throw ApiError(403, "wrong_password", "the current password is wrong",
                         "current_password");
        }
        if (next == current) {
          throw ApiError(422, "validation_failed", "must differ from the current password",
                         "new_password");
        }
        auth::User user;
        try {
          user = s.users.update(
              who.user,
              auth::UserChange{.role = std::nullopt, .password = next, .mustChangePassword = false},
              config::AuditEntry{who.actor(), who.address, "update", "users/" + who.user,
                                 R"({"password":{"from":"********","to":"********"}})"});
        } catch (const auth::StoreError& e) {
          ApiError a = toApiError(e);
          throw ApiError(a.status(), a.code(), a.what(), "new_password");
        }
        // The generated first password is no use any more; it must not lie
        // around on disk (no default credential survives the first login).
        if (who.mustChangePassword) {
          std::error_code ignored;
          std::filesystem::remove(auth::initialPasswordPath(s.dbPath()), ignored);
        }
        // Other sessions of this user end; this one carries on.
        s.sessions.removeUser(who.user, who.sessionId);
        s.sessions.updateUser(who.user, user.role, false);
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("password_changed", true);
        return Response::of(o);
      });
}

}  // namespace callgate::mgmt::api
