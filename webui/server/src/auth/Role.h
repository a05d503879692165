#pragma once
// The two roles of the management server: admin may change everything,
// readonly may read everything except secrets and user administration.

#include <optional>
#include <string_view>

namespace callgate::mgmt::auth {

enum class Role { Admin, ReadOnly };

constexpr std::string_view roleName(Role role) {
  return role == Role::Admin ? "admin" : "readonly";
}

inline std::optional<Role> parseRole(std::string_view text) {
  if (text == "admin") return Role::Admin;
  if (text == "readonly") return Role::ReadOnly;
  return std::nullopt;
}

}  // namespace callgate::mgmt::auth
