// The whole configuration in the canonical JSON form of `callgatectl export`.
//   GET  /api/v1/backup    the export (with secrets: admin only)
//   POST /api/v1/restore   validate, then replace everything in one transaction

#include "api/ConfigChange.h"
#include "api/Guard.h"
#include "api/ObjectJson.h"
#include "api/Resources.h"
#include "config/ConfigJson.h"
#include "http/Json.h"

namespace callgate::mgmt::api {

void addBackupRoutes(http::Router& router, Services& s) {
  const std::string base = kApiBase;
  addRoute(router, s, "GET", base + "/backup", http::Access::Admin,
           "the whole configuration as JSON (callgatectl export format)",
           [&s](http::Request&, const Principal&) {
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             http::Response r;
             r.raw = config::toJson(config);
             r.headers.emplace_back("Content-Disposition",
                                    "attachment; filename=\"callgate-config.json\"");
             return r;
           });
  addRoute(
      router, s, "POST", base + "/restore", http::Access::Admin,
      "replace the whole configuration with a backup",
      [&s](http::Request& r, const Principal& who) {
        r.bodyObject();
        auto parsed = config::fromJson(r.body);
        if (!parsed.ok()) throwFieldErrors(parsed.errors);
        Poco::JSON::Object::Ptr counts = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        counts->set("listeners", parsed.config.listeners.size());
        counts->set("peers", parsed.config.peers.size());
        counts->set("routes", parsed.config.routes.size());
        counts->set("media_interfaces", parsed.config.media_interfaces.size());
        auto out = changeConfig(s, who, "restore", "config", [&](config::Config& c) {
          c = parsed.config;
          return Mutation{http::stringify(counts), ""};
        });
        return http::Response::of(out);
      },
      config::kMaxJsonBytes);
}

}  // namespace callgate::mgmt::api
