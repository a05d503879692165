// The audit log, newest first.
//   GET /api/v1/audit?limit=100&before=<id>

#include <Poco/JSON/Array.h>

#include "api/Guard.h"
#include "api/QueryNumber.h"
#include "api/Resources.h"
#include "http/Json.h"

namespace callgate::mgmt::api {

void addAuditRoutes(http::Router& router, Services& s) {
  addRoute(router, s, "GET", std::string(kApiBase) + "/audit", http::Access::Read,
           "who changed what, newest first", [&s](http::Request& r, const Principal&) {
             const auto limit = queryNumber(r, "limit", 100, 1, 1000);
             const auto before = queryNumber(r, "before", 0, 0, INT64_MAX / 2);
             const auto records = s.withStore([&](config::ConfigStore& st) {
               return st.auditLog(static_cast<size_t>(limit), before);
             });
             Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
             for (const auto& rec : records) {
               Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
               o->set("id", rec.id);
               o->set("at", rec.at);
               o->set("actor", rec.entry.actor);
               o->set("address", rec.entry.address);
               o->set("action", rec.entry.action);
               o->set("object", rec.entry.object);
               try {
                 o->set("detail", http::parseObject(rec.entry.detail));
               } catch (const http::ApiError&) {
                 o->set("detail", rec.entry.detail);
               }
               list->add(o);
             }
             Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
             out->set("items", list);
             return http::Response::of(out);
           });
}

}  // namespace callgate::mgmt::api
