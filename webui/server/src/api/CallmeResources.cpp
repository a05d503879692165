// Call Me: tokens for shops' backends, and what the widget reads about its
// button (docs/callme.md).
//   POST /api/v1/callme/tokens        admin, or an API key with the callme role
//   GET  /callme/v1/buttons/{name}    public: look and opening state for the widget

#include <chrono>

#include "api/CallmeTokenRequest.h"
#include "api/Guard.h"
#include "api/Resources.h"
#include "callme/OpeningHours.h"
#include "callme/TimeZone.h"
#include "config/CallmeValidation.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {
namespace {

using http::ApiError;

bool openNow(const config::Button& b) {
  const auto hours = callme::OpeningHours::parse(b.opening_hours);
  const auto zone = callme::TimeZone::load(b.timezone);
  // Validation keeps both parseable; should the zone file vanish, say open
  // and let callgated, which decides, refuse with its reason.
  if (!hours || !zone) return true;
  return hours->isOpen(std::chrono::system_clock::now(), *zone);
}

// The widget runs on the shop's pages and fetches this cross-origin: allow
// exactly the button's origins (RFC 6454 serialisation, as the browser sends).
void allowOrigin(http::Response& r, const config::Button& b, const std::string& origin) {
  r.headers.emplace_back("Vary", "Origin");
  for (const auto& allowed : config::splitOrigins(b.allowed_origins)) {
    if (allowed == "*") {
      r.headers.emplace_back("Access-Control-Allow-Origin", "*");
      return;
    }
    if (!origin.empty() && allowed == origin) {
      r.headers.emplace_back("Access-Control-Allow-Origin", origin);
      return;
    }
  }
}

}  // namespace

void addCallmeRoutes(http::Router& router, Services& s) {
  addRoute(router, s, "POST", std::string(kApiBase) + "/callme/tokens", http::Access::CallmeToken,
           "issue a Call Me token for a button and the customer's context",
           [&s](http::Request& r, const Principal&) {
             const auto request = parseCallmeTokenRequest(r.bodyObject());
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             return http::Response::of(issueCallmeToken(config, request), 201);
           });

  addRoute(router, s, "GET", "/callme/v1/buttons/{name}", http::Access::Public,
           "a button's look and whether it is open, for the widget",
           [&s](http::Request& r, const Principal&) {
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             const config::Button* button = nullptr;
             for (const auto& b : config.buttons) {
               if (b.name == r.param("name") && b.enabled) button = &b;
             }
             if (!button || !config.callme.enabled) {
               throw ApiError(404, "not_found", "Unknown button", "name");
             }
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
             o->set("name", button->name);
             o->set("label", button->label);
             o->set("colour", button->colour);
             o->set("language", button->language);
             o->set("video", button->video);
             o->set("open", openNow(*button));
             o->set("closed_message", button->closed_message);
             auto out = http::Response::of(o);
             allowOrigin(out, *button, r.header("origin"));
             return out;
           });
}

}  // namespace callgate::mgmt::api
