#include <boost/test/unit_test.hpp>

#include "TempDb.h"
#include "auth/StoreError.h"
#include "auth/UserStore.h"

using namespace callgate::mgmt::auth;
using callgate::config::AuditEntry;
using callgate::config::ConfigStore;

namespace {
AuditEntry audit(const std::string& what) {
  return AuditEntry{"tester", "192.0.2.9", what, "users/x", "{}"};
}
StoreError::Kind kindOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const StoreError& e) {
    return e.kind();
  }
  BOOST_FAIL("expected a StoreError");
  return StoreError::Kind::Invalid;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(user_store)

BOOST_AUTO_TEST_CASE(create_authenticate_and_list) {
  test::TempDb db;
  PasswordHasher hasher(test::kFastScrypt);
  UserStore users(db.path, hasher);
  BOOST_TEST(users.count() == 0U);
  users.create(User{.name = "alice", .role = Role::Admin}, "alice-password", audit("create"));
  users.create(User{.name = "bob", .role = Role::ReadOnly, .mustChangePassword = true},
               "bob-password!", audit("create"));
  BOOST_TEST(users.count() == 2U);
  const auto all = users.list();
  BOOST_REQUIRE(all.size() == 2U);
  BOOST_TEST(all[0].name == "alice");
  BOOST_TEST(all[1].mustChangePassword);
  BOOST_TEST(all[1].createdAt.ends_with("Z"));
  const auto ok = users.authenticate("alice", "alice-password");
  BOOST_REQUIRE(ok.has_value());
  BOOST_TEST((ok->role == Role::Admin));
  BOOST_TEST(!users.authenticate("alice", "alice-passworD"));
  BOOST_TEST(!users.authenticate("nobody", "alice-password"));
  // Each write audited in its own transaction.
  BOOST_TEST(ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite).auditLog(10).size() == 2U);
}

BOOST_AUTO_TEST_CASE(refusals_name_the_problem_and_write_nothing) {
  test::TempDb db;
  PasswordHasher hasher(test::kFastScrypt);
  UserStore users(db.path, hasher);
  users.create(User{.name = "root", .role = Role::Admin}, "root-password", audit("create"));
  BOOST_TEST((kindOf([&] { users.create(User{.name = "root"}, "other-password", audit("c")); }) ==
              StoreError::Kind::Conflict));
  BOOST_TEST((kindOf([&] {
                users.create(User{.name = "a'; DROP TABLE users;--"}, "0123456789", audit("c"));
              }) == StoreError::Kind::Invalid));
  BOOST_TEST((kindOf([&] { users.create(User{.name = "short"}, "123", audit("c")); }) ==
              StoreError::Kind::Invalid));
  // The last admin can be neither demoted nor removed.
  BOOST_TEST((kindOf([&] {
                users.update("root", UserChange{.role = Role::ReadOnly}, audit("u"));
              }) == StoreError::Kind::Conflict));
  BOOST_TEST((kindOf([&] { users.remove("root", audit("d")); }) == StoreError::Kind::Conflict));
  BOOST_TEST((kindOf([&] { users.remove("ghost", audit("d")); }) == StoreError::Kind::NotFound));
  BOOST_TEST(users.count() == 1U);
  BOOST_TEST(ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite).auditLog(10).size() == 1U);
}

BOOST_AUTO_TEST_CASE(update_changes_password_role_and_flag) {
  test::TempDb db;
  PasswordHasher hasher(test::kFastScrypt);
  UserStore users(db.path, hasher);
  users.create(User{.name = "root", .role = Role::Admin}, "root-password", audit("create"));
  users.create(User{.name = "ops", .mustChangePassword = true}, "first-password", audit("create"));
  const auto changed = users.update(
      "ops",
      UserChange{.role = Role::Admin, .password = "second-password", .mustChangePassword = false},
      audit("update"));
  BOOST_TEST((changed.role == Role::Admin));
  BOOST_TEST(!changed.mustChangePassword);
  BOOST_TEST(!users.authenticate("ops", "first-password"));
  BOOST_TEST(users.authenticate("ops", "second-password").has_value());
  // Now two admins: one may go.
  users.remove("root", audit("delete"));
  BOOST_TEST(!users.find("root"));
  // A change without a password keeps the old hash.
  users.update("ops", UserChange{.mustChangePassword = true}, audit("update"));
  BOOST_TEST(users.authenticate("ops", "second-password")->mustChangePassword);
}

BOOST_AUTO_TEST_SUITE_END()
