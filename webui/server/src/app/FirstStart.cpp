#include "app/FirstStart.h"

#include <algorithm>
#include <filesystem>

#include "config/ConfigStore.h"
#include "config/Defaults.h"
#include "core/Log.h"
#include "net/SelfSignedCertificate.h"

namespace callgate::mgmt::app {
namespace {

constexpr std::string_view kLogTag = "mgmt";
constexpr int kCertificateDays = 825;  // the CA/Browser Forum's former maximum

std::vector<std::string> certificateNames(const std::vector<std::string>& hosts,
                                          const std::string& extra) {
  std::vector<std::string> names{"127.0.0.1", "::1", "localhost"};
  names.insert(names.end(), hosts.begin(), hosts.end());
  if (!extra.empty() && std::find(names.begin(), names.end(), extra) == names.end() &&
      extra != "0.0.0.0" && extra != "::") {
    names.push_back(extra);
  }
  return names;
}

}  // namespace

void ensureDatabase(const std::string& dbPath) {
  const bool exists = std::filesystem::exists(dbPath);
  auto store = config::ConfigStore::open(dbPath, config::ConfigStore::Mode::ReadWrite);
  if (exists && store.isInitialized()) return;
  // The same first configuration as callgated's first start.
  const auto hosts = config::hostAddresses();
  auto c = config::defaultConfig(hosts);
  config::fillGeneratedDefaults(c);
  const auto pem =
      net::generateSelfSignedCertificate("callgate", certificateNames(hosts, ""), kCertificateDays);
  c.tls.certificate_pem = pem.certificatePem;
  c.tls.private_key_pem = pem.privateKeyPem;
  store.save(c, config::AuditEntry{"system", "", "create", "config", "{}"});
  CG_LOG_INFO(kLogTag) << "created " << dbPath << " with the default configuration";
}

void ensureManagementCertificate(const std::string& dbPath) {
  auto store = config::ConfigStore::open(dbPath, config::ConfigStore::Mode::ReadWrite);
  if (!store.load().management.certificate_pem.empty()) return;
  store.update([&](config::Config& c) {
    auto& m = c.management;
    const auto pem = net::generateSelfSignedCertificate(
        "callgate-mgmt", certificateNames(config::hostAddresses(), m.address), kCertificateDays);
    m.certificate_pem = pem.certificatePem;
    m.private_key_pem = pem.privateKeyPem;
    return config::AuditEntry{"system", "", "update", "settings/management",
                              R"j({"certificate_pem":{"from":"","to":"(self-signed)"},)j"
                              R"j("private_key_pem":{"from":"","to":"********"}})j"};
  });
  CG_LOG_INFO(kLogTag) << "generated a self-signed certificate for the HTTPS listener";
}

}  // namespace callgate::mgmt::app
