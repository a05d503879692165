#pragma once
// Parsing of XML-RPC requests and responses (http://xmlrpc.com/spec.md).
// Bodies come from the network: both functions bound the input (Limits),
// refuse DOCTYPE and entities, and report every problem as a Fault with one
// of the interoperability codes of Types.h. They never throw.

#include <optional>
#include <string>
#include <string_view>

#include "xmlrpc/Types.h"

namespace callgate::mgmt::xmlrpc {

struct MethodCall {
  std::string methodName;  // A-Z a-z 0-9 _ . : / only, as the spec says
  Array params;
};

struct MethodResponse {
  Value value;                 // the result, when `fault` is unset
  std::optional<Fault> fault;  // the fault the server answered with
};

struct CallParseResult {
  std::optional<MethodCall> call;
  Fault error;  // set when `call` is not
};

struct ResponseParseResult {
  std::optional<MethodResponse> response;
  Fault error;  // set when `response` is not
};

CallParseResult parseMethodCall(std::string_view body, const Limits& limits = {}) noexcept;
ResponseParseResult parseMethodResponse(std::string_view body, const Limits& limits = {}) noexcept;

}  // namespace callgate::mgmt::xmlrpc
