#pragma once
// A migrated configuration database in the temp directory, removed at the end.

#include <unistd.h>

#include <filesystem>
#include <string>

#include "auth/PasswordHasher.h"
#include "config/ConfigStore.h"

namespace callgate::mgmt::auth::test {

struct TempDb {
  TempDb() { config::ConfigStore::open(path, config::ConfigStore::Mode::ReadWrite); }
  ~TempDb() {
    std::filesystem::remove(path);
    std::filesystem::remove(path + ".admin-password");
  }
  std::string path =
      (std::filesystem::temp_directory_path() /
       ("cg-auth-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
          .string();
  static inline int counter = 0;
};

// Cheap scrypt parameters: the tests check behaviour, not cost.
inline constexpr ScryptParams kFastScrypt{10, 8, 1};

}  // namespace callgate::mgmt::auth::test
