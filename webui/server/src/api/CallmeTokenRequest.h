#pragma once
// The body of a Call Me token request, shared by the REST API and the demo
// shop's backend: {"button", "ttl_s", "customer_id", "order_id", "data"}.
// Wrong types and unknown members are a 422 naming the field.

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "callme/Token.h"
#include "config/Config.h"

namespace callgate::mgmt::api {

struct CallmeTokenRequest {
  std::string button;
  int64_t ttlSeconds = 300;
  callme::TokenContext context;
};

CallmeTokenRequest parseCallmeTokenRequest(const Poco::JSON::Object& body);

// Issues the token from the current configuration and answers
// {"token", "button", "issued_at", "expires_at"}; 404 for an unknown button,
// 422 for anything else the issuer refuses.
Poco::JSON::Object::Ptr issueCallmeToken(const config::Config& config,
                                         const CallmeTokenRequest& request);

}  // namespace callgate::mgmt::api
