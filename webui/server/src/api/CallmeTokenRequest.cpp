#include "api/CallmeTokenRequest.h"

#include <chrono>
#include <variant>

#include "config/CallmeTokenIssuer.h"
#include "core/Random.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {
namespace {

using http::ApiError;

std::string stringMember(const Poco::JSON::Object& body, const std::string& name) {
  const auto v = body.get(name);
  if (v.isEmpty()) return {};
  if (!v.isString()) throw ApiError(422, "validation_failed", "must be a string", name);
  return v.extract<std::string>();
}

}  // namespace

CallmeTokenRequest parseCallmeTokenRequest(const Poco::JSON::Object& body) {
  CallmeTokenRequest r;
  for (const auto& [name, value] : body) {
    if (name != "button" && name != "ttl_s" && name != "customer_id" && name != "order_id" &&
        name != "data") {
      throw ApiError(422, "validation_failed", "unknown field", name);
    }
  }
  r.button = stringMember(body, "button");
  if (r.button.empty()) throw ApiError(422, "validation_failed", "required", "button");
  const auto ttl = body.get("ttl_s");
  if (!ttl.isEmpty()) {
    if (!ttl.isInteger()) throw ApiError(422, "validation_failed", "must be an integer", "ttl_s");
    r.ttlSeconds = ttl.convert<int64_t>();
  }
  r.context.customerId = stringMember(body, "customer_id");
  r.context.orderId = stringMember(body, "order_id");
  if (body.has("data") && !body.get("data").isEmpty()) {
    const auto data = body.getObject("data");
    if (!data) throw ApiError(422, "validation_failed", "must be an object", "data");
    // Poco's object iterates in key order unless told to preserve it; the
    // order only decides the header order, so sorted is fine.
    for (const auto& [key, value] : *data) {
      if (!value.isString()) {
        throw ApiError(422, "validation_failed", "values must be strings", "data." + key);
      }
      r.context.data.emplace_back(key, value.extract<std::string>());
    }
  }
  return r;
}

Poco::JSON::Object::Ptr issueCallmeToken(const config::Config& config,
                                         const CallmeTokenRequest& request) {
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const auto issued =
      config::issueButtonToken(config, request.button, request.context, request.ttlSeconds, now,
                               core::SystemRandom::instance());
  if (const auto* error = std::get_if<config::TokenIssueError>(&issued)) {
    if (error->unknownButton) throw ApiError(404, "not_found", error->message, error->field);
    throw ApiError(422, "validation_failed", error->message, error->field);
  }
  const auto& token = std::get<config::IssuedToken>(issued);
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("token", token.token);
  out->set("button", request.button);
  out->set("issued_at", token.issuedAt);
  out->set("expires_at", token.expiresAt);
  return out;
}

}  // namespace callgate::mgmt::api
