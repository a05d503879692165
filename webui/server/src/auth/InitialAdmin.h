#pragma once
// The first administrator. With no user at all, callgate-mgmt creates
// `admin` with a random password that must be changed at first login, writes
// the password to "<db>.admin-password" (mode 0600) and prints it once.

#include <ostream>
#include <string>

#include "auth/UserStore.h"

namespace callgate::mgmt::auth {

// True when the user was created. Throws when the file cannot be written
// (then no user is created, and the next start tries again).
bool ensureInitialAdmin(UserStore& users, const std::string& dbPath, std::ostream& announce);

std::string initialPasswordPath(const std::string& dbPath);

}  // namespace callgate::mgmt::auth
