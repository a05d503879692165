#include "api/Services.h"

namespace callgate::mgmt::api {

Services::Services(const ServicesOptions& options, const core::Clock& clock)
    : hasher(options.scrypt),
      users(options.dbPath, hasher),
      keys(options.dbPath),
      sessions(clock, options.sessionIdleTimeout),
      throttle(clock),
      options_(options),
      store_(config::ConfigStore::open(options.dbPath, config::ConfigStore::Mode::ReadWrite)) {}

std::string Services::controlSocketPath(const config::Config& c) const {
  if (!options_.socketOverride.empty()) return options_.socketOverride;
  return c.system.control_socket.empty() ? options_.dbPath + ".sock" : c.system.control_socket;
}

}  // namespace callgate::mgmt::api
