#include <boost/test/unit_test.hpp>

#include "TempDb.h"
#include "auth/ApiKeyStore.h"
#include "auth/SecureRandom.h"
#include "auth/StoreError.h"
#include "auth/UserStore.h"
#include "config/Sqlite.h"

using namespace callgate::mgmt::auth;
using callgate::config::AuditEntry;
namespace sq = callgate::config::sqlite;

BOOST_AUTO_TEST_SUITE(api_key_store)

BOOST_AUTO_TEST_CASE(key_is_shown_once_and_stored_hashed) {
  test::TempDb db;
  PasswordHasher hasher(test::kFastScrypt);
  UserStore users(db.path, hasher);
  users.create(User{.name = "root", .role = Role::Admin}, "root-password", AuditEntry{});
  ApiKeyStore keys(db.path);
  const auto made =
      keys.create("backup-script", "root", Role::ReadOnly, AuditEntry{.actor = "root"});
  BOOST_TEST(made.secret.starts_with("cgk_"));
  BOOST_TEST(made.secret.size() == 4U + 64U);
  BOOST_TEST(made.key.prefix == made.secret.substr(0, 12));
  // The table holds the SHA-256 of the key, never the key.
  {
    auto raw = sq::openReadWrite(db.path);
    auto s = sq::prepare(raw.get(), "SELECT key_hash FROM api_keys");
    BOOST_REQUIRE(sqlite3_step(s.get()) == SQLITE_ROW);
    BOOST_TEST(sq::columnText(s.get(), 0) == sha256Hex(made.secret));
  }

  const auto found = keys.authenticate(made.secret);
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->name == "backup-script");
  BOOST_TEST((found->role == Role::ReadOnly));
  BOOST_TEST(!found->lastUsedAt.empty());
  BOOST_TEST(keys.list().at(0).lastUsedAt == found->lastUsedAt);

  std::string wrong = made.secret;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  BOOST_TEST(!keys.authenticate(wrong));
  BOOST_TEST(!keys.authenticate(""));
  BOOST_TEST(!keys.authenticate(made.secret + "0"));
  BOOST_TEST(!keys.authenticate(made.secret.substr(4)));
}

BOOST_AUTO_TEST_CASE(names_unique_owner_must_exist_removal_revokes) {
  test::TempDb db;
  PasswordHasher hasher(test::kFastScrypt);
  UserStore users(db.path, hasher);
  users.create(User{.name = "root", .role = Role::Admin}, "root-password", AuditEntry{});
  users.create(User{.name = "ops", .role = Role::Admin}, "ops-password", AuditEntry{});
  ApiKeyStore keys(db.path);
  const auto a = keys.create("k1", "ops", Role::Admin, AuditEntry{});
  BOOST_CHECK_THROW(keys.create("k1", "root", Role::Admin, AuditEntry{}), StoreError);
  BOOST_CHECK_THROW(keys.create("k2", "ghost", Role::Admin, AuditEntry{}), StoreError);
  BOOST_CHECK_THROW(keys.create("bad name", "root", Role::Admin, AuditEntry{}), StoreError);
  const auto b = keys.create("k2", "root", Role::Admin, AuditEntry{});
  keys.remove("k2", AuditEntry{});
  BOOST_TEST(!keys.authenticate(b.secret));
  BOOST_CHECK_THROW(keys.remove("k2", AuditEntry{}), StoreError);
  // Removing a user revokes the user's keys.
  users.remove("ops", AuditEntry{});
  BOOST_TEST(!keys.authenticate(a.secret));
  BOOST_TEST(keys.list().empty());
}

BOOST_AUTO_TEST_SUITE_END()
