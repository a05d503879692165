#pragma once
// The XML-RPC methods of /RPC2 and the REST route each one runs. Every
// method is a route of the same router, so both front ends share handlers,
// checks and answers; the result of a method is the REST answer's body,
// except that the *.list methods return the array of items itself, and
// config.export the configuration document as a string.

#include <string>
#include <string_view>
#include <vector>

namespace callgate::mgmt::rpc {

// How a positional parameter reaches the route.
enum class Arg {
  Name,      // string: fills the next {placeholder} of the route's pattern
  Id,        // int or digit string: fills the next {placeholder}
  Body,      // struct: the JSON body
  Query,     // struct of ints/strings: query parameters; optional, last
  Document,  // string: the raw JSON body (config.import)
};

struct MethodSpec {
  std::string name;  // "peers.create"
  std::string httpMethod;
  std::string pattern;  // the route's pattern, "/api/v1/peers/{name}"
  std::vector<Arg> args;
  std::string result;  // XML-RPC type of the result: struct, array, string
  std::string help;
};

// The REST-backed methods, sorted by name (system.* are the dispatcher's).
const std::vector<MethodSpec>& methodTable();
const MethodSpec* findMethod(std::string_view name);

// system.methodSignature's answer: one signature, or two when the last
// parameter is optional. Types as the introspection convention names them.
std::vector<std::vector<std::string>> signaturesOf(const MethodSpec& spec);

}  // namespace callgate::mgmt::rpc
