#pragma once
// JSON in and out of the management API, and the one error body shape.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

#include "http/ApiError.h"

namespace callgate::mgmt::http {

std::string stringify(const Poco::Dynamic::Var& value);
// A JSON object, or ApiError 400 "invalid_json" (syntax) / "invalid_body"
// (valid JSON that is not an object).
Poco::JSON::Object::Ptr parseObject(const std::string& text);
// {"error": {"code", "message", "field"?, "details"?}}
Poco::JSON::Object::Ptr errorBody(const ApiError& error);

// Typed members of a request body; ApiError 400 naming the field when the
// member is missing (required) or has another type.
std::string requiredString(const Poco::JSON::Object& body, const std::string& key);
std::optional<std::string> optionalString(const Poco::JSON::Object& body, const std::string& key);
std::optional<bool> optionalBool(const Poco::JSON::Object& body, const std::string& key);
// ApiError 400 "unknown_field" for a member not in `allowed`.
void onlyFields(const Poco::JSON::Object& body, std::initializer_list<const char*> allowed);

}  // namespace callgate::mgmt::http
