// Recent events of callgate-mgmt (EventLog.h), oldest first.
//   GET /api/v1/events?since=<id>&limit=100

#include <Poco/JSON/Array.h>

#include "api/Guard.h"
#include "api/QueryNumber.h"
#include "api/Resources.h"
#include "http/Json.h"

namespace callgate::mgmt::api {

void addEventRoutes(http::Router& router, Services& s) {
  addRoute(router, s, "GET", std::string(kApiBase) + "/events", http::Access::Read,
           "recent events of the management server (logins, changes, daemon state)",
           [&s](http::Request& r, const Principal&) {
             const auto since = queryNumber(r, "since", 0, 0, INT64_MAX / 2);
             const auto limit = queryNumber(r, "limit", 100, 1, 1000);
             Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
             for (const auto& e :
                  s.events.after(static_cast<uint64_t>(since), static_cast<size_t>(limit))) {
               Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
               o->set("id", e.id);
               o->set("at", e.at);
               o->set("type", e.type);
               o->set("actor", e.actor);
               o->set("address", e.address);
               o->set("message", e.message);
               if (!e.data.empty()) o->set("data", http::parseObject(e.data));
               list->add(o);
             }
             Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
             out->set("items", list);
             out->set("last_id", s.events.lastId());
             return http::Response::of(out);
           });
}

}  // namespace callgate::mgmt::api
