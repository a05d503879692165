#pragma once
// Every configuration change of the API goes through here: one atomic
// load-mutate-validate-save with its audit entry (ConfigStore::update), then
// callgated is asked to apply it (control method config.reload). A daemon
// that is not running is not an error: the change is stored and applies at
// its next start ("applied": false says so).

#include <Poco/JSON/Object.h>

#include <functional>
#include <string>

#include "api/Principal.h"
#include "api/Services.h"

namespace callgate::mgmt::api {

struct Mutation {
  std::string detail = "{}";  // audit detail (JSON, secrets masked)
  // Validation errors under this prefix ("peers[2].") name the field bare
  // ("port"): the caller addressed the object by name, not by index.
  std::string ownPrefix;
};

struct ApplyResult {
  bool applied = false;
  bool reachable = false;  // something answered on the control socket
  std::string error;
};

// Records the outcome in services.events (config_applied,
// config_not_applied, config_refused). Throws http::ApiError 422 "validation_failed" (field named,
// all errors in details) when the result is invalid; whatever `mutate` throws aborts the change
// with nothing written.
Poco::JSON::Object::Ptr changeConfig(Services& services, const Principal& who,
                                     const std::string& action, const std::string& object,
                                     const std::function<Mutation(config::Config&)>& mutate);

ApplyResult reloadDaemon(const std::string& socketPath);

}  // namespace callgate::mgmt::api
