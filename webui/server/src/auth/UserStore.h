#pragma once
// Users of the management server, in the `users` table of the configuration
// database (schema migration 3). Own SQLite handle; every write is one
// transaction together with its audit entry. Thread-safe.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/PasswordHasher.h"
#include "auth/Role.h"
#include "config/AuditLog.h"
#include "config/Sqlite.h"

namespace callgate::mgmt::auth {

struct User {
  std::string name;
  Role role = Role::ReadOnly;
  bool mustChangePassword = false;
  std::string createdAt;
};

struct UserChange {
  std::optional<Role> role;
  std::optional<std::string> password;
  std::optional<bool> mustChangePassword;
};

class UserStore {
 public:
  static constexpr size_t kMinPasswordLength = 10;
  static constexpr size_t kMaxPasswordLength = 1024;

  // The database must already be migrated (ConfigStore::open ReadWrite).
  UserStore(const std::string& dbPath, const PasswordHasher& hasher);

  size_t count();
  std::vector<User> list();
  std::optional<User> find(const std::string& name);
  // The user when the password is right. An unknown user costs the same
  // scrypt work as a wrong password, so timing does not reveal names.
  std::optional<User> authenticate(const std::string& name, std::string_view password);

  // Throw StoreError: Invalid (bad name/password), Conflict (exists, last
  // admin), NotFound.
  void create(const User& user, std::string_view password, const config::AuditEntry& audit);
  User update(const std::string& name, const UserChange& change, const config::AuditEntry& audit);
  // Also removes the user's API keys. The last admin cannot be removed.
  void remove(const std::string& name, const config::AuditEntry& audit);

  static bool validName(std::string_view name);
  // Throws StoreError(Invalid, "password") for a password that is too short.
  static void checkPassword(std::string_view password);

 private:
  std::optional<User> findLocked(const std::string& name, std::string* hash);
  size_t adminCount();

  // passed in
  const PasswordHasher& hasher_;
  // owned
  std::mutex mutex_;
  config::sqlite::Db db_;
  std::string dummyHash_;  // verified against for unknown users
};

}  // namespace callgate::mgmt::auth
