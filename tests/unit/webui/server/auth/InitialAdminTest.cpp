#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "TempDb.h"
#include "auth/InitialAdmin.h"

using namespace callgate::mgmt::auth;

BOOST_AUTO_TEST_SUITE(initial_admin)

BOOST_AUTO_TEST_CASE(first_start_creates_admin_with_a_private_password_file) {
  test::TempDb db;
  PasswordHasher hasher(test::kFastScrypt);
  UserStore users(db.path, hasher);
  std::ostringstream announce;
  BOOST_TEST(ensureInitialAdmin(users, db.path, announce));
  const auto path = initialPasswordPath(db.path);
  BOOST_TEST(path == db.path + ".admin-password");
  struct stat st {};
  BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600U);
  std::string password;
  std::ifstream(path) >> password;
  BOOST_TEST(password.size() == 20U);
  BOOST_TEST(announce.str().find(password) != std::string::npos);
  const auto admin = users.authenticate("admin", password);
  BOOST_REQUIRE(admin.has_value());
  BOOST_TEST((admin->role == Role::Admin));
  BOOST_TEST(admin->mustChangePassword);
  // Second start: nothing happens.
  std::ostringstream again;
  BOOST_TEST(!ensureInitialAdmin(users, db.path, again));
  BOOST_TEST(again.str().empty());
  BOOST_TEST(users.count() == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
