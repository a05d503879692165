#pragma once
// Helpers for resources that expose configuration objects.

#include <Poco/JSON/Array.h>

#include <string>
#include <vector>

#include "config/ConfigFields.h"
#include "config/ConfigJson.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {

// ApiError 400 "invalid_field" naming the first field, all in details.
[[noreturn]] void throwFieldErrors(const std::vector<config::ValidationError>& errors);

// A fresh object for PUT that keeps the current write-only values (a client
// cannot read them back, so it cannot be asked to send them again).
template <typename T>
T withSecretsOf(const T& current) {
  T next{};
  for (const auto& f : config::fieldsOf(&current)) {
    if (!config::isSecretField(f.name)) continue;
    std::visit([&](auto member) { next.*member = current.*member; }, f.member);
  }
  return next;
}

// Applies a request body onto `value`, throwing the errors.
template <typename T>
void applyBody(const Poco::JSON::Object::Ptr& body, T& value) {
  const auto errors = config::applyJson(body, "", value);
  if (!errors.empty()) throwFieldErrors(errors);
}

}  // namespace callgate::mgmt::api
