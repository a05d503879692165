#pragma once
// JSON-RPC 2.0 framing shared by the control server and its clients.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace callgate::control {

constexpr size_t kMaxRequestBytes = 1 << 20;
// JSON-RPC error codes (JSON-RPC 2.0 §5.1).
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kServerError = -32000;

std::string encodeRequest(int id, const std::string& method, const Poco::JSON::Object::Ptr& params);
std::string encodeResult(const Poco::Dynamic::Var& id, const Poco::Dynamic::Var& result);
std::string encodeError(const Poco::Dynamic::Var& id, int code, const std::string& message);
std::string toJsonText(const Poco::Dynamic::Var& value, unsigned indent = 0);

}  // namespace callgate::control
