#include "auth/UserStore.h"

#include <cctype>

#include "auth/StoreError.h"

namespace callgate::mgmt::auth {
namespace sq = config::sqlite;

UserStore::UserStore(const std::string& dbPath, const PasswordHasher& hasher)
    : hasher_(hasher), db_(sq::openReadWrite(dbPath)), dummyHash_(hasher.hash("not a password")) {}

bool UserStore::validName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-' &&
        c != '@') {
      return false;
    }
  }
  return true;
}

void UserStore::checkPassword(std::string_view password) {
  if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
    throw StoreError(StoreError::Kind::Invalid, "password",
                     "must be " + std::to_string(kMinPasswordLength) + ".." +
                         std::to_string(kMaxPasswordLength) + " characters");
  }
}

std::optional<User> UserStore::findLocked(const std::string& name, std::string* hash) {
  auto s = sq::prepare(db_.get(),
                       "SELECT name, role, must_change_password, created_at, password_hash"
                       " FROM users WHERE name = ?");
  sq::bindText(s.get(), 1, name);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
  User u;
  u.name = sq::columnText(s.get(), 0);
  u.role = parseRole(sq::columnText(s.get(), 1)).value_or(Role::ReadOnly);
  u.mustChangePassword = sqlite3_column_int(s.get(), 2) != 0;
  u.createdAt = sq::columnText(s.get(), 3);
  if (hash) *hash = sq::columnText(s.get(), 4);
  return u;
}

size_t UserStore::adminCount() {
  auto s = sq::prepare(db_.get(), "SELECT COUNT(*) FROM users WHERE role = 'admin'");
  sqlite3_step(s.get());
  return static_cast<size_t>(sqlite3_column_int64(s.get(), 0));
}

size_t UserStore::count() {
  std::lock_guard lock(mutex_);
  auto s = sq::prepare(db_.get(), "SELECT COUNT(*) FROM users");
  sqlite3_step(s.get());
  return static_cast<size_t>(sqlite3_column_int64(s.get(), 0));
}

std::vector<User> UserStore::list() {
  std::lock_guard lock(mutex_);
  auto s = sq::prepare(db_.get(),
                       "SELECT name, role, must_change_password, created_at FROM users"
                       " ORDER BY name");
  std::vector<User> out;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    User u;
    u.name = sq::columnText(s.get(), 0);
    u.role = parseRole(sq::columnText(s.get(), 1)).value_or(Role::ReadOnly);
    u.mustChangePassword = sqlite3_column_int(s.get(), 2) != 0;
    u.createdAt = sq::columnText(s.get(), 3);
    out.push_back(std::move(u));
  }
  return out;
}

std::optional<User> UserStore::find(const std::string& name) {
  std::lock_guard lock(mutex_);
  return findLocked(name, nullptr);
}

std::optional<User> UserStore::authenticate(const std::string& name, std::string_view password) {
  std::string hash;
  std::optional<User> user;
  {
    std::lock_guard lock(mutex_);
    user = findLocked(name, &hash);
  }
  // The slow hash runs outside the lock so logins do not queue behind it.
  const bool ok = hasher_.verify(password, user ? hash : dummyHash_);
  if (!user || !ok) return std::nullopt;
  return user;
}

void UserStore::create(const User& user, std::string_view password,
                       const config::AuditEntry& audit) {
  if (!validName(user.name)) {
    throw StoreError(StoreError::Kind::Invalid, "name", "must be 1-64 of [A-Za-z0-9_.@-]");
  }
  checkPassword(password);
  const std::string hash = hasher_.hash(password);
  std::lock_guard lock(mutex_);
  sq::Transaction txn(db_.get());
  if (findLocked(user.name, nullptr)) {
    throw StoreError(StoreError::Kind::Conflict, "name", "user '" + user.name + "' exists");
  }
  auto s = sq::prepare(db_.get(),
                       "INSERT INTO users (name, role, password_hash, must_change_password,"
                       " created_at) VALUES (?, ?, ?, ?, ?)");
  sq::bindText(s.get(), 1, user.name);
  sq::bindText(s.get(), 2, roleName(user.role));
  sq::bindText(s.get(), 3, hash);
  sqlite3_bind_int(s.get(), 4, user.mustChangePassword ? 1 : 0);
  sq::bindText(s.get(), 5, config::utcNowIso8601());
  sq::run(db_.get(), s.get(), "create user");
  config::appendAudit(db_.get(), audit);
  txn.commit();
}

User UserStore::update(const std::string& name, const UserChange& change,
                       const config::AuditEntry& audit) {
  std::string hash;
  if (change.password) {
    checkPassword(*change.password);
    hash = hasher_.hash(*change.password);
  }
  std::lock_guard lock(mutex_);
  sq::Transaction txn(db_.get());
  auto user = findLocked(name, nullptr);
  if (!user) throw StoreError(StoreError::Kind::NotFound, "name", "no user '" + name + "'");
  if (change.role && *change.role != Role::Admin && user->role == Role::Admin &&
      adminCount() <= 1) {
    throw StoreError(StoreError::Kind::Conflict, "role", "the last admin must stay admin");
  }
  if (change.role) user->role = *change.role;
  if (change.mustChangePassword) user->mustChangePassword = *change.mustChangePassword;
  auto s = sq::prepare(db_.get(),
                       "UPDATE users SET role = ?, must_change_password = ?,"
                       " password_hash = CASE WHEN ?3 = '' THEN password_hash ELSE ?3 END"
                       " WHERE name = ?4");
  sq::bindText(s.get(), 1, roleName(user->role));
  sqlite3_bind_int(s.get(), 2, user->mustChangePassword ? 1 : 0);
  sq::bindText(s.get(), 3, hash);
  sq::bindText(s.get(), 4, name);
  sq::run(db_.get(), s.get(), "update user");
  config::appendAudit(db_.get(), audit);
  txn.commit();
  return *user;
}

void UserStore::remove(const std::string& name, const config::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  sq::Transaction txn(db_.get());
  auto user = findLocked(name, nullptr);
  if (!user) throw StoreError(StoreError::Kind::NotFound, "name", "no user '" + name + "'");
  if (user->role == Role::Admin && adminCount() <= 1) {
    throw StoreError(StoreError::Kind::Conflict, "name", "the last admin cannot be removed");
  }
  auto keys = sq::prepare(db_.get(), "DELETE FROM api_keys WHERE owner = ?");
  sq::bindText(keys.get(), 1, name);
  sq::run(db_.get(), keys.get(), "remove api keys");
  auto s = sq::prepare(db_.get(), "DELETE FROM users WHERE name = ?");
  sq::bindText(s.get(), 1, name);
  sq::run(db_.get(), s.get(), "remove user");
  config::appendAudit(db_.get(), audit);
  txn.commit();
}

}  // namespace callgate::mgmt::auth
