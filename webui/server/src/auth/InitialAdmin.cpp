#include "auth/InitialAdmin.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "auth/SecureRandom.h"

namespace callgate::mgmt::auth {
namespace {

// 20 characters from a 64-symbol alphabet: 120 bits.
std::string randomPassword() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto bytes = randomBytes(20);
  std::string out;
  for (unsigned char b : bytes) out.push_back(kAlphabet[b & 63]);
  return out;
}

void writeSecretFile(const std::string& path, const std::string& text) {
  ::unlink(path.c_str());  // a stale file might have looser permissions
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(error));
  }
}

}  // namespace

std::string initialPasswordPath(const std::string& dbPath) {
  return dbPath + ".admin-password";
}

bool ensureInitialAdmin(UserStore& users, const std::string& dbPath, std::ostream& announce) {
  if (users.count() > 0) return false;
  const std::string password = randomPassword();
  const std::string path = initialPasswordPath(dbPath);
  writeSecretFile(path, password + "\n");
  users.create(
      User{.name = "admin", .role = Role::Admin, .mustChangePassword = true, .createdAt = {}},
      password,
      config::AuditEntry{"system", "", "create", "users/admin",
                         R"({"role":"admin","must_change_password":true})"});
  announce << "callgate-mgmt: created user 'admin' with password " << password << " (also in "
           << path << "); it must be changed at first login\n";
  announce.flush();
  return true;
}

}  // namespace callgate::mgmt::auth
