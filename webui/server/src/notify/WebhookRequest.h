#pragma once
// What one webhook receives for one call event: the body, its content type
// and headers. A JSON webhook gets the event object, signed:
//   X-Callgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// (the time is inside the MAC, so a captured request cannot be replayed
// later as new); an XML-RPC webhook gets a methodCall with the event as its
// one struct parameter. Pure functions: the dispatcher does the sending.

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/Config.h"

namespace callgate::mgmt::notify {

struct WebhookRequest {
  std::string body;
  std::string contentType;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Whether `webhook` wants `event` (its events list and buttons filter).
bool wants(const config::Webhook& webhook, const Poco::JSON::Object& event);

// Throws std::invalid_argument when the event cannot be encoded (XML-RPC).
WebhookRequest buildWebhookRequest(const config::Webhook& webhook,
                                   const Poco::JSON::Object::Ptr& event,
                                   const std::string& deliveryId, int64_t unixSeconds);

// "t=<t>,v1=<hex>" as in X-Callgate-Signature.
std::string signatureHeader(std::string_view secret, std::string_view body, int64_t unixSeconds);

}  // namespace callgate::mgmt::notify
