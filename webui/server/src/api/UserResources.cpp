// Users and API keys (admin only).
//   GET/POST /api/v1/users, GET/PATCH/DELETE /api/v1/users/{name}
//   GET/POST /api/v1/api_keys, DELETE /api/v1/api_keys/{name}

#include "api/Guard.h"
#include "api/Resources.h"
#include "api/StoreErrors.h"
#include "http/Json.h"

namespace callgate::mgmt::api {
namespace {

using http::Access;
using http::ApiError;
using http::Request;
using http::Response;

Poco::JSON::Object::Ptr userJson(const auth::User& u) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("name", u.name);
  o->set("role", std::string(auth::roleName(u.role)));
  o->set("must_change_password", u.mustChangePassword);
  o->set("created_at", u.createdAt);
  return o;
}

Poco::JSON::Object::Ptr keyJson(const auth::ApiKey& k) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("name", k.name);
  o->set("owner", k.owner);
  o->set("role", std::string(auth::roleName(k.role)));
  o->set("prefix", k.prefix);
  o->set("created_at", k.createdAt);
  o->set("last_used_at", k.lastUsedAt);
  return o;
}

// Users are admin or readonly; API keys may also have the callme role.
std::optional<auth::Role> roleField(const Poco::JSON::Object& body, bool forApiKey) {
  const auto text = http::optionalString(body, "role");
  if (!text) return std::nullopt;
  const auto role = auth::parseRole(*text);
  if (forApiKey && !role) {
    throw ApiError(400, "invalid_field", "must be admin, readonly or callme", "role");
  }
  if (!forApiKey && (!role || *role == auth::Role::Callme)) {
    throw ApiError(400, "invalid_field", "must be admin or readonly (callme is for API keys)",
                   "role");
  }
  return role;
}

config::AuditEntry audit(const Principal& who, const std::string& action, const std::string& object,
                         const Poco::JSON::Object::Ptr& detail) {
  return config::AuditEntry{who.actor(), who.address, action, object, http::stringify(detail)};
}

template <typename F>
auto storeCall(F&& f) {
  try {
    return f();
  } catch (const auth::StoreError& e) {
    throw toApiError(e);
  }
}

Response items(const Poco::JSON::Array::Ptr& list) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("items", list);
  return Response::of(o);
}

void addUsers(http::Router& router, Services& s) {
  const std::string base = std::string(kApiBase) + "/users";
  addRoute(router, s, "GET", base, Access::Admin, "list users", [&s](Request&, const Principal&) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& u : s.users.list()) list->add(userJson(u));
    return items(list);
  });
  addRoute(router, s, "GET", base + "/{name}", Access::Admin, "read a user",
           [&s](Request& r, const Principal&) {
             const auto u = s.users.find(r.param("name"));
             if (!u) throw ApiError(404, "not_found", "no user '" + r.param("name") + "'", "name");
             return Response::of(userJson(*u));
           });
  addRoute(router, s, "POST", base, Access::Admin, "create a user",
           [&s](Request& r, const Principal& who) {
             const auto& body = r.bodyObject();
             http::onlyFields(body, {"name", "role", "password", "must_change_password"});
             auth::User u;
             u.name = http::requiredString(body, "name");
             u.role = roleField(body, false).value_or(auth::Role::ReadOnly);
             u.mustChangePassword = http::optionalBool(body, "must_change_password").value_or(true);
             const std::string password = http::requiredString(body, "password");
             Poco::JSON::Object::Ptr detail = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
             detail->set("role", std::string(auth::roleName(u.role)));
             detail->set("must_change_password", u.mustChangePassword);
             detail->set("password", "********");
             storeCall([&] {
               s.users.create(u, password, audit(who, "create", "users/" + u.name, detail));
               return 0;
             });
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
             o->set("item", userJson(*s.users.find(u.name)));
             return Response::of(o, 201);
           });
  addRoute(router, s, "PATCH", base + "/{name}", Access::Admin,
           "change a user's role, password or must_change_password",
           [&s](Request& r, const Principal& who) {
             const auto& body = r.bodyObject();
             http::onlyFields(body, {"role", "password", "must_change_password"});
             const std::string name = r.param("name");
             auth::UserChange change;
             change.role = roleField(body, false);
             change.password = http::optionalString(body, "password");
             change.mustChangePassword = http::optionalBool(body, "must_change_password");
             Poco::JSON::Object::Ptr detail = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
             if (change.role) detail->set("role", std::string(auth::roleName(*change.role)));
             if (change.password) detail->set("password", "********");
             if (change.mustChangePassword)
               detail->set("must_change_password", *change.mustChangePassword);
             const auto u = storeCall([&] {
               return s.users.update(name, change, audit(who, "update", "users/" + name, detail));
             });
             // A new password ends the user's other sessions.
             if (change.password)
               s.sessions.removeUser(name, name == who.user ? who.sessionId : "");
             s.sessions.updateUser(name, u.role, u.mustChangePassword);
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
             o->set("item", userJson(u));
             return Response::of(o);
           });
  addRoute(router, s, "DELETE", base + "/{name}", Access::Admin, "remove a user and their API keys",
           [&s](Request& r, const Principal& who) {
             const std::string name = r.param("name");
             if (name == who.user)
               throw ApiError(409, "conflict", "you cannot remove yourself", "name");
             storeCall([&] {
               s.users.remove(name, audit(who, "delete", "users/" + name, new Poco::JSON::Object));
               return 0;
             });
             s.sessions.removeUser(name);
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
             o->set("deleted", true);
             return Response::of(o);
           });
}

void addApiKeys(http::Router& router, Services& s) {
  const std::string base = std::string(kApiBase) + "/api_keys";
  addRoute(router, s, "GET", base, Access::Admin, "list API keys (never the keys themselves)",
           [&s](Request&, const Principal&) {
             Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
             for (const auto& k : s.keys.list()) list->add(keyJson(k));
             return items(list);
           });
  addRoute(router, s, "POST", base, Access::Admin, "create an API key; the key is shown once",
           [&s](Request& r, const Principal& who) {
             const auto& body = r.bodyObject();
             http::onlyFields(body, {"name", "role"});
             const std::string name = http::requiredString(body, "name");
             const auth::Role role = roleField(body, true).value_or(auth::Role::ReadOnly);
             Poco::JSON::Object::Ptr detail = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
             detail->set("owner", who.user);
             detail->set("role", std::string(auth::roleName(role)));
             const auto made = storeCall([&] {
               return s.keys.create(name, who.user, role,
                                    audit(who, "create", "api_keys/" + name, detail));
             });
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
             o->set("item", keyJson(made.key));
             o->set("key", made.secret);
             return Response::of(o, 201);
           });
  addRoute(router, s, "DELETE", base + "/{name}", Access::Admin, "revoke an API key",
           [&s](Request& r, const Principal& who) {
             const std::string name = r.param("name");
             storeCall([&] {
               s.keys.remove(name,
                             audit(who, "delete", "api_keys/" + name, new Poco::JSON::Object));
               return 0;
             });
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
             o->set("deleted", true);
             return Response::of(o);
           });
}

}  // namespace

void addUserRoutes(http::Router& router, Services& services) {
  addUsers(router, services);
  addApiKeys(router, services);
}

}  // namespace callgate::mgmt::api
