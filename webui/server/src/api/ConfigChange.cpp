#include "api/ConfigChange.h"

#include <Poco/JSON/Array.h>

#include <memory>

#include "control/ControlClient.h"
#include "core/Log.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {
namespace {

constexpr std::string_view kLogTag = "mgmt.config";

http::ApiError validationError(const config::ConfigValidationError& e, const std::string& prefix) {
  auto shortName = [&](const std::string& field) {
    return !prefix.empty() && field.starts_with(prefix) ? field.substr(prefix.size()) : field;
  };
  const auto& errors = e.errors();
  http::ApiError out(422, "validation_failed",
                     errors.empty() ? "invalid configuration" : errors.front().message,
                     errors.empty() ? "" : shortName(errors.front().field));
  out.details = new Poco::JSON::Array;
  for (const auto& v : errors) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("field", shortName(v.field));
    item->set("message", v.message);
    out.details->add(item);
  }
  return out;
}

}  // namespace

ApplyResult reloadDaemon(const std::string& socketPath) {
  std::unique_ptr<control::ControlClient> client;
  try {
    client = std::make_unique<control::ControlClient>(socketPath, std::chrono::seconds(10));
  } catch (const std::exception& e) {
    return {false, false, e.what()};
  }
  try {
    client->call("config.reload");
    return {true, true, ""};
  } catch (const std::exception& e) {
    return {false, true, e.what()};
  }
}

Poco::JSON::Object::Ptr changeConfig(Services& services, const Principal& who,
                                     const std::string& action, const std::string& object,
                                     const std::function<Mutation(config::Config&)>& mutate) {
  std::string prefix;
  config::Config saved;
  uint64_t revision = 0;
  try {
    services.withStore([&](config::ConfigStore& store) {
      saved = store.update([&](config::Config& c) {
        const Mutation m = mutate(c);
        prefix = m.ownPrefix;
        return config::AuditEntry{who.actor(), who.address, action, object, m.detail};
      });
      revision = store.revision();
      return 0;
    });
  } catch (const config::ConfigValidationError& e) {
    auto error = validationError(e, prefix);
    services.events.record("config_refused", who.actor(), who.address,
                           action + " " + object + ": " +
                               (error.field().empty() ? "" : error.field() + ": ") + error.what());
    throw error;
  }
  CG_LOG_INFO(kLogTag) << who.actor() << " " << action << " " << object << " → revision "
                       << revision;
  const auto applied = reloadDaemon(services.controlSocketPath(saved));
  services.events.daemonSeen(applied.reachable, applied.error);
  const std::string what = action + " " + object + " (revision " + std::to_string(revision) + ")";
  if (applied.applied) {
    services.events.record("config_applied", who.actor(), who.address, what);
  } else {
    services.events.record("config_not_applied", who.actor(), who.address,
                           what + " stored; callgated did not apply it: " + applied.error);
  }
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("applied", applied.applied);
  out->set("revision", revision);
  if (!applied.applied) out->set("apply_error", applied.error);
  return out;
}

}  // namespace callgate::mgmt::api
