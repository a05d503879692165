#pragma once
// The value model, faults and input limits of the XML-RPC codec
// (http://xmlrpc.com/spec.md).
//
// Parsed values are Poco::Dynamic::Var holding exactly one of:
//   empty Var            <nil/>
//   bool                 <boolean>
//   Poco::Int64          <i4>, <int>, <i8>
//   double               <double>
//   std::string          <string>, untyped <value> text, <dateTime.iso8601>
//                        (the text as sent) and <base64> (the decoded bytes)
//   Array                <array>
//   Struct               <struct>
// Structs are Poco::DynamicStruct rather than Poco::JSON::Object::Ptr: plain
// values owned by their parent like the arrays, no shared ownership, and
// Var's operator[] indexes both. The encoder also accepts JSON objects and
// arrays so REST handlers can answer over XML-RPC unchanged.

#include <cstddef>
#include <string>
#include <vector>

#include "Poco/Dynamic/Struct.h"
#include "Poco/Dynamic/Var.h"

namespace callgate::mgmt::xmlrpc {

using Value = Poco::Dynamic::Var;
using Array = std::vector<Poco::Dynamic::Var>;
using Struct = Poco::DynamicStruct;

// The fault codes of the "specification for fault code interoperability"
// (xmlrpc-epi, 2001) that most XML-RPC servers and clients share.
inline constexpr int kParseError = -32700;           // not well-formed, or DOCTYPE/entities
inline constexpr int kUnsupportedEncoding = -32701;  // declared encoding not UTF-8/ASCII/Latin-1
inline constexpr int kInvalidCharacter = -32702;     // bad UTF-8 or a character XML forbids
inline constexpr int kInvalidRequest = -32600;       // well-formed XML but not XML-RPC, or a limit
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

struct Fault {
  int code = 0;
  std::string message;

  bool operator==(const Fault&) const = default;
};

// Bounds for hostile input. The encoder refuses values nested deeper than
// maxDepth too, so whatever the parser accepts can be sent back.
struct Limits {
  size_t maxBodyBytes = size_t{1} << 20;
  // Arrays and structs inside one another; a scalar parameter has depth 0.
  size_t maxDepth = 32;
  // Start tags in the whole document, the root included.
  size_t maxElements = 100000;
};

}  // namespace callgate::mgmt::xmlrpc
