// Settings sections: GET, PUT (absent fields take defaults), PATCH.
//   /api/v1/settings/{system,sip,registrar,tls,media,management,callme}

#include "api/AuditDetail.h"
#include "api/ConfigChange.h"
#include "api/Guard.h"
#include "api/ObjectJson.h"
#include "api/Resources.h"

namespace callgate::mgmt::api {
namespace {

using http::Access;
using http::Request;
using http::Response;

template <typename T>
void addSection(http::Router& router, Services& s, const std::string& name,
                T config::Config::*member) {
  const std::string path = std::string(kApiBase) + "/settings/" + name;
  addRoute(router, s, "GET", path, Access::Read, "read the " + name + " settings",
           [&s, member](Request&, const Principal&) {
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             return Response::of(config::toJsonObject(config.*member, true));
           });
  for (const bool replace : {true, false}) {
    addRoute(router, s, replace ? "PUT" : "PATCH", path, Access::Admin,
             (replace ? "replace the " : "change fields of the ") + name + " settings",
             [&s, member, name, replace](Request& r, const Principal& who) {
               r.bodyObject();
               Poco::JSON::Object::Ptr shown;
               auto out =
                   changeConfig(s, who, "update", "settings/" + name, [&](config::Config& c) {
                     T& current = c.*member;
                     T next = replace ? withSecretsOf(current) : current;
                     applyBody(r.json, next);
                     const auto detail = diffDetail(config::toJsonObject(current, false),
                                                    config::toJsonObject(next, false));
                     current = next;
                     shown = config::toJsonObject(next, true);
                     return Mutation{detail, name + "."};
                   });
               out->set("item", shown);
               // The management server reads its own section at start only.
               if (name == "management") out->set("restart_required", true);
               return Response::of(out);
             });
  }
}

}  // namespace

void addSettingsRoutes(http::Router& router, Services& services) {
  addSection(router, services, "system", &config::Config::system);
  addSection(router, services, "sip", &config::Config::sip);
  addSection(router, services, "registrar", &config::Config::registrar);
  addSection(router, services, "tls", &config::Config::tls);
  addSection(router, services, "media", &config::Config::media);
  addSection(router, services, "management", &config::Config::management);
  addSection(router, services, "callme", &config::Config::callme);
}

}  // namespace callgate::mgmt::api
