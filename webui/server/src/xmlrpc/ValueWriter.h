#pragma once
// Writes one <value> element for a Poco::Dynamic::Var.
//
//   empty Var                          <nil/>
//   bool                               <boolean>
//   signed and unsigned integers       <int> when they fit 32 bits, else <i8>
//   float, double (finite)             <double>, decimal-point notation
//   std::string, UTF16String           <string> when it is valid XML text,
//                                      else <base64> of its bytes, so binary
//                                      data and control characters survive
//   Poco::DateTime                     <dateTime.iso8601> 19980717T14:08:55
//   Struct, OrderedDynamicStruct,
//   JSON::Object(::Ptr)                <struct>
//   Array, JSON::Array(::Ptr)          <array>
// A null JSON pointer is <nil/>. Anything else throws EncodeError, as do an
// unsigned integer above INT64_MAX, a non-finite double, a member name that
// is not valid XML text and nesting deeper than maxDepth.

#include <cstddef>
#include <stdexcept>
#include <string>

#include "xmlrpc/Types.h"

namespace callgate::mgmt::xmlrpc {

class EncodeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

void appendValue(std::string& out, const Value& value, size_t maxDepth);

}  // namespace callgate::mgmt::xmlrpc
