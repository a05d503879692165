#pragma once
// Lets Boost.Test print a Config (as its JSON form) when a comparison fails.

#include <ostream>

#include "config/ConfigJson.h"

namespace callgate::config {
inline std::ostream& operator<<(std::ostream& out, const Config& c) {
  return out << toJson(c);
}
}  // namespace callgate::config
