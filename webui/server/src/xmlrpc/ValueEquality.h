#pragma once
// Deep equality of parsed values (Types.h), for round-trip checks: Poco's
// own Var comparison converts through strings and cannot compare arrays or
// structs element by element.

#include "xmlrpc/Types.h"

namespace callgate::mgmt::xmlrpc {

// True when both hold the same parsed type and equal contents. Values of
// other types compare unequal.
bool sameValue(const Value& a, const Value& b);

}  // namespace callgate::mgmt::xmlrpc
