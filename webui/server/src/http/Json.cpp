#include "http/Json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace callgate::mgmt::http {

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_WRAP_STRINGS);
  return out.str();
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  Poco::Dynamic::Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(text);
  } catch (const Poco::Exception& e) {
    throw ApiError(400, "invalid_json", "JSON syntax error: " + e.message());
  }
  if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw ApiError(400, "invalid_body", "the body must be a JSON object");
  }
  return root.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr errorBody(const ApiError& error) {
  Poco::JSON::Object::Ptr inner = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  inner->set("code", error.code());
  inner->set("message", std::string(error.what()));
  if (!error.field().empty()) inner->set("field", error.field());
  if (error.details) inner->set("details", error.details);
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("error", inner);
  return out;
}

std::optional<std::string> optionalString(const Poco::JSON::Object& body, const std::string& key) {
  if (!body.has(key)) return std::nullopt;
  const auto v = body.get(key);
  if (!v.isString()) throw ApiError(400, "invalid_field", "expected a string", key);
  return v.extract<std::string>();
}

std::string requiredString(const Poco::JSON::Object& body, const std::string& key) {
  auto v = optionalString(body, key);
  if (!v) throw ApiError(400, "missing_field", "is required", key);
  return *v;
}

std::optional<bool> optionalBool(const Poco::JSON::Object& body, const std::string& key) {
  if (!body.has(key)) return std::nullopt;
  const auto v = body.get(key);
  if (!v.isBoolean()) throw ApiError(400, "invalid_field", "expected true or false", key);
  return v.extract<bool>();
}

void onlyFields(const Poco::JSON::Object& body, std::initializer_list<const char*> allowed) {
  for (const auto& name : body.getNames()) {
    bool known = false;
    for (const char* a : allowed) known = known || name == a;
    if (!known) throw ApiError(400, "unknown_field", "unknown field", name);
  }
}

}  // namespace callgate::mgmt::http
