#pragma once
// What the REST resources work on: the configuration store, users, API
// keys, sessions and the login throttle, all over one SQLite file. Built
// once at start-up; shared by the server threads.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "api/EventLog.h"
#include "auth/ApiKeyStore.h"
#include "auth/LoginThrottle.h"
#include "auth/PasswordHasher.h"
#include "auth/SessionStore.h"
#include "auth/UserStore.h"
#include "config/ConfigStore.h"
#include "core/Clock.h"
#include "http/TlsServerContext.h"

namespace callgate::mgmt::api {

struct ServicesOptions {
  std::string dbPath;
  std::string socketOverride;  // "" = system.control_socket or "<db>.sock"
  std::chrono::seconds sessionIdleTimeout{1800};
  auth::ScryptParams scrypt;
  std::string widgetFile;  // the built Call Me widget, served at /callme/callme.js; "" = none
  std::string shopDir;     // the demo shop's pages, served at /shop/; "" = no demo shop
  std::string shopButton = "demo";  // the button the demo shop's pages use
  std::string shopWebsocket;        // where its widget connects; "" = the first WSS/WS listener
};

class Services {
 public:
  Services(const ServicesOptions& options, const core::Clock& clock);

  // The configuration store is one SQLite handle: one thread at a time.
  // Writers in other processes are kept apart by SQLite's own locking.
  template <typename F>
  auto withStore(F&& f) {
    std::lock_guard lock(storeMutex_);
    return f(store_);
  }
  // Where callgated listens, for this configuration.
  std::string controlSocketPath(const config::Config& c) const;
  const std::string& dbPath() const { return options_.dbPath; }
  const ServicesOptions& options() const { return options_; }

  auth::PasswordHasher hasher;
  auth::UserStore users;
  auth::ApiKeyStore keys;
  auth::SessionStore sessions;
  auth::LoginThrottle throttle;
  EventLog events;
  // passed in, may stay null (tests): the HTTPS listener's certificate, so
  // an uploaded one serves new connections at once.
  http::ServerIdentity* tlsIdentity = nullptr;
  // Set at start-up, may stay empty (tests): callgate-mgmt's own counters
  // by group ("webhook" -> {"delivered": 3, ...}) for /api/v1/statistics.
  using CounterGroups = std::map<std::string, std::map<std::string, uint64_t>>;
  std::function<CounterGroups()> ownCounters;

 private:
  ServicesOptions options_;
  std::mutex storeMutex_;
  config::ConfigStore store_;
};

}  // namespace callgate::mgmt::api
