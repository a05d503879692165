#pragma once
// The roles of the management server: admin may change everything,
// readonly may read everything except secrets and user administration, and
// callme may only issue Call Me tokens (the API key a shop's backend holds:
// least privilege, as that key lives on a web server).

#include <optional>
#include <string_view>

namespace callgate::mgmt::auth {

enum class Role { Admin, ReadOnly, Callme };

constexpr std::string_view roleName(Role role) {
  switch (role) {
    case Role::Admin:
      return "admin";
    case Role::ReadOnly:
      return "readonly";
    case Role::Callme:
      break;
  }
  return "callme";
}

inline std::optional<Role> parseRole(std::string_view text) {
  if (text == "admin") return Role::Admin;
  if (text == "readonly") return Role::ReadOnly;
  if (text == "callme") return Role::Callme;
  return std::nullopt;
}

}  // namespace callgate::mgmt::auth
