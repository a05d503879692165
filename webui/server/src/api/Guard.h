#pragma once
// Authentication and authorisation in front of every handler, in this
// order: who is it (401), CSRF for cookie sessions on state-changing
// methods (403), the first password change (403), the role (403).

#include <functional>

#include "api/Principal.h"
#include "api/Services.h"
#include "http/Router.h"

namespace callgate::mgmt::api {

constexpr const char* kSessionCookie = "cg_session";
constexpr const char* kCsrfHeader = "x-csrf-token";

using GuardedHandler = std::function<http::Response(http::Request&, const Principal&)>;

// A Principal placed in Request::principal (by an in-process front end that
// authenticated the caller) replaces the header and cookie checks; CSRF,
// password-change and role checks apply the same.
http::Handler guard(Services& services, http::Access access, GuardedHandler handler);

// Adds a route whose handler runs behind guard().
void addRoute(http::Router& router, Services& services, const std::string& method,
              const std::string& pattern, http::Access access, const std::string& summary,
              GuardedHandler handler, size_t maxBodyBytes = 0);

}  // namespace callgate::mgmt::api
