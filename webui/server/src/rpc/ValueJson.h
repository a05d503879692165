#pragma once
// XML-RPC values as the JSON values the REST handlers take.

#include <Poco/Dynamic/Var.h>

#include "xmlrpc/Types.h"

namespace callgate::mgmt::rpc {

// <struct> → JSON object, <array> → JSON array, <nil/> → null; scalars stay
// as they are (integers Int64, <double> double, strings, booleans). The
// parser has already bounded the nesting (xmlrpc::Limits::maxDepth).
Poco::Dynamic::Var toJsonValue(const xmlrpc::Value& value);

}  // namespace callgate::mgmt::rpc
