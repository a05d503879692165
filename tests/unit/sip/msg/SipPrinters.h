#pragma once
// Lets Boost.Test print SIP enums in failure messages.

#include <ostream>

#include "sip/msg/HeaderTypes.h"

namespace callgate::sip {
inline std::ostream& operator<<(std::ostream& out, Method m) {
  return out << (m == Method::Unknown ? std::string_view("<unknown>") : methodName(m));
}
inline std::ostream& operator<<(std::ostream& out, HeaderId id) {
  return out << canonicalHeaderName(id);
}
}  // namespace callgate::sip
