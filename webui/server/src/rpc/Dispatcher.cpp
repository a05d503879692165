#include "rpc/Dispatcher.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

#include "core/Log.h"
#include "http/Json.h"
#include "rpc/ValueJson.h"

namespace callgate::mgmt::rpc {
namespace {

xmlrpc::Fault invalidParams(const std::string& method, const std::string& message) {
  return {xmlrpc::kInvalidParams, method + ": " + message};
}

bool isString(const xmlrpc::Value& v) {
  return v.type() == typeid(std::string);
}
bool isStruct(const xmlrpc::Value& v) {
  return v.type() == typeid(xmlrpc::Struct);
}
bool isInteger(const xmlrpc::Value& v) {
  return v.type() == typeid(Poco::Int64);
}

std::string ordinal(size_t i) {
  return "parameter " + std::to_string(i + 1);
}

// A {placeholder} value; nullopt (with `error`) when the type is wrong.
std::optional<std::string> segmentOf(Arg kind, const xmlrpc::Value& v, size_t i,
                                     std::string& error) {
  if (kind == Arg::Id && isInteger(v)) {
    const auto id = v.extract<Poco::Int64>();
    if (id < 0) {
      error = ordinal(i) + " must be a call id (0 or more)";
      return std::nullopt;
    }
    return std::to_string(id);
  }
  if (!isString(v) || v.extract<std::string>().empty()) {
    error = ordinal(i) + (kind == Arg::Id ? " must be an int" : " must be a non-empty string");
    return std::nullopt;
  }
  return v.extract<std::string>();
}

// Query parameters from a struct of ints and strings.
bool queryOf(const xmlrpc::Value& v, size_t i, http::Request& r, std::string& error) {
  if (!isStruct(v)) {
    error = ordinal(i) + " must be a struct";
    return false;
  }
  for (const auto& [name, member] : v.extract<xmlrpc::Struct>()) {
    if (isInteger(member)) {
      r.query[name] = std::to_string(member.extract<Poco::Int64>());
    } else if (isString(member)) {
      r.query[name] = member.extract<std::string>();
    } else {
      error = ordinal(i) + " member '" + name + "' must be an int or a string";
      return false;
    }
  }
  return true;
}

xmlrpc::Value stringArray(const std::vector<std::string>& items) {
  xmlrpc::Array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

xmlrpc::Fault faultOf(const http::ApiError& error) {
  std::string message = error.code() + ": ";
  if (!error.field().empty()) message += error.field() + ": ";
  message += error.what();
  if (error.retryAfterSeconds > 0) {
    message += " (retry after " + std::to_string(error.retryAfterSeconds) + " s)";
  }
  return {error.status(), message};
}

bool Dispatcher::available(const MethodSpec& spec) const {
  for (const auto& route : router_.routes()) {
    if (route.method != spec.httpMethod) continue;
    if (route.pattern == spec.pattern) return true;
    // "/api/v1/settings/{section}" stands for the literal section routes.
    const auto brace = spec.pattern.find('{');
    if (brace != std::string::npos && route.pattern.starts_with(spec.pattern.substr(0, brace)) &&
        route.pattern.find('/', brace) == std::string::npos) {
      return true;
    }
  }
  return false;
}

Outcome Dispatcher::system(const xmlrpc::MethodCall& call) const {
  const auto& name = call.methodName;
  if (name == "system.listMethods") {
    if (!call.params.empty()) return invalidParams(name, "takes no parameters");
    std::vector<std::string> names{"system.listMethods", "system.methodHelp",
                                   "system.methodSignature"};
    for (const auto& m : methodTable()) {
      if (available(m)) names.push_back(m.name);
    }
    return stringArray(names);
  }
  if (call.params.size() != 1 || !isString(call.params[0])) {
    return invalidParams(name, "takes one string, a method name");
  }
  const auto& asked = call.params[0].extract<std::string>();
  if (asked.starts_with("system.")) {
    if (name == "system.methodHelp") {
      return xmlrpc::Value(std::string(asked == "system.listMethods" ? "the methods offered"
                                       : asked == "system.methodHelp"
                                           ? "what a method does"
                                           : "a method's signatures: [[result, params...]]"));
    }
    if (asked == "system.listMethods") return xmlrpc::Value(xmlrpc::Array{stringArray({"array"})});
    return xmlrpc::Value(xmlrpc::Array{stringArray({"string", "string"})});
  }
  const MethodSpec* spec = findMethod(asked);
  if (!spec || !available(*spec)) {
    return xmlrpc::Fault{xmlrpc::kMethodNotFound, "no method '" + asked + "'"};
  }
  if (name == "system.methodHelp") {
    return xmlrpc::Value(spec->help + " (" + spec->httpMethod + " " + spec->pattern + ")");
  }
  xmlrpc::Array signatures;
  for (const auto& s : signaturesOf(*spec)) signatures.push_back(stringArray(s));
  return xmlrpc::Value(signatures);
}

Outcome Dispatcher::call(const xmlrpc::MethodCall& call, const std::any& principal,
                         const std::string& clientAddress) const {
  const auto& name = call.methodName;
  if (name == "system.listMethods" || name == "system.methodHelp" ||
      name == "system.methodSignature") {
    return system(call);
  }
  const MethodSpec* spec = findMethod(name);
  if (!spec || !available(*spec)) {
    return xmlrpc::Fault{xmlrpc::kMethodNotFound, "no method '" + name + "'"};
  }
  size_t required = spec->args.size();
  if (required > 0 && spec->args.back() == Arg::Query) --required;
  if (call.params.size() < required || call.params.size() > spec->args.size()) {
    return invalidParams(
        name,
        "takes " + std::to_string(required) +
            (required == spec->args.size() ? "" : " to " + std::to_string(spec->args.size())) +
            " parameters, not " + std::to_string(call.params.size()));
  }

  http::Request request;
  request.method = spec->httpMethod;
  request.clientAddress = clientAddress;
  request.principal = principal;
  auto segments = http::splitPath(spec->pattern).value_or(std::vector<std::string>{});
  auto next = segments.begin();
  std::string error;
  for (size_t i = 0; i < call.params.size(); ++i) {
    const auto& v = call.params[i];
    switch (spec->args[i]) {
      case Arg::Name:
      case Arg::Id: {
        const auto text = segmentOf(spec->args[i], v, i, error);
        if (!text) return invalidParams(name, error);
        next = std::find_if(next, segments.end(), [](const std::string& s) {
          return s.size() > 2 && s.front() == '{' && s.back() == '}';
        });
        if (next == segments.end()) return invalidParams(name, "too many names");
        *next++ = *text;
        break;
      }
      case Arg::Body:
        if (!isStruct(v)) return invalidParams(name, ordinal(i) + " must be a struct");
        request.json = toJsonValue(v).extract<Poco::JSON::Object::Ptr>();
        request.body = http::stringify(request.json);
        break;
      case Arg::Query:
        if (!queryOf(v, i, request, error)) return invalidParams(name, error);
        break;
      case Arg::Document:
        if (!isString(v)) return invalidParams(name, ordinal(i) + " must be a string");
        request.body = v.extract<std::string>();
        try {
          request.json = http::parseObject(request.body);
        } catch (const http::ApiError& e) {
          return faultOf(e);
        }
        break;
    }
  }
  for (const auto& s : segments) request.path += "/" + s;

  auto match = router_.match(request.method, segments);
  if (!match.route) {
    return faultOf(http::ApiError(404, "not_found", "no such resource: " + request.path));
  }
  request.params = std::move(match.params);
  try {
    http::Response response = match.route->handler(request);
    if (!response.raw.empty()) return xmlrpc::Value(response.raw);
    if (response.json.isEmpty()) return xmlrpc::Value(true);
    if (spec->result == "array" && response.json.type() == typeid(Poco::JSON::Object::Ptr)) {
      const auto o = response.json.extract<Poco::JSON::Object::Ptr>();
      if (o->has("items")) return o->get("items");
    }
    return response.json;
  } catch (const http::ApiError& e) {
    return faultOf(e);
  } catch (const std::exception& e) {
    CG_LOG_ERROR("mgmt.rpc") << name << ": " << e.what();
    return xmlrpc::Fault{xmlrpc::kInternalError, "internal error"};
  }
}

}  // namespace callgate::mgmt::rpc
