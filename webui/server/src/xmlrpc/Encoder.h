#pragma once
// Encoding of XML-RPC documents (http://xmlrpc.com/spec.md): responses and
// faults for the management server's endpoint, method calls for the
// notifications callgate-mgmt sends to call-centre software. Output is
// UTF-8 with an XML declaration; ValueWriter.h lists how values map.

#include <string>
#include <string_view>

#include "xmlrpc/Types.h"
#include "xmlrpc/ValueWriter.h"

namespace callgate::mgmt::xmlrpc {

// <methodResponse> holding `value` as its one param. Throws EncodeError for
// a value XML-RPC cannot carry.
std::string encodeResponse(const Value& value, const Limits& limits = {});

// <methodResponse><fault>. Never refuses: invalid UTF-8 and characters XML
// does not allow in `message` become U+FFFD.
std::string encodeFault(int code, std::string_view message);

// <methodCall>. Throws EncodeError for a method name outside the spec's
// character set or a value XML-RPC cannot carry.
std::string encodeMethodCall(std::string_view methodName, const Array& params,
                             const Limits& limits = {});

}  // namespace callgate::mgmt::xmlrpc
