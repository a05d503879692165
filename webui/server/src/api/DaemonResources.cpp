// What callgated reports, through its control socket.
//   GET    /api/v1/status         control method status
//   GET    /api/v1/statistics     its counters, grouped by subsystem
//   GET    /api/v1/calls          calls.list
//   GET    /api/v1/calls/{id}     one entry of calls.list
//   DELETE /api/v1/calls/{id}     calls.hangup
//   GET    /api/v1/registrations  registrations.list

#include <Poco/JSON/Array.h>

#include <memory>

#include "api/Guard.h"
#include "api/Resources.h"
#include "control/ControlClient.h"
#include "core/Log.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {
namespace {

using http::Access;
using http::ApiError;
using http::Request;
using http::Response;

Poco::Dynamic::Var callDaemon(Services& s, const std::string& method,
                              Poco::JSON::Object::Ptr params = nullptr) {
  const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
  std::unique_ptr<control::ControlClient> client;
  try {
    client = std::make_unique<control::ControlClient>(s.controlSocketPath(config),
                                                      std::chrono::seconds(10));
  } catch (const std::exception& e) {
    s.events.daemonSeen(false, e.what());
    throw ApiError(503, "daemon_unavailable",
                   std::string("callgated is not reachable: ") + e.what());
  }
  s.events.daemonSeen(true, "");
  try {
    return client->call(method, params);
  } catch (const control::ControlError& e) {
    const std::string text = e.what();
    if (text.find("no call") != std::string::npos) throw ApiError(404, "not_found", text, "id");
    throw ApiError(502, "daemon_error", text);
  }
}

Response listOf(const Poco::Dynamic::Var& v) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("items",
         v.isEmpty() ? Poco::Dynamic::Var(Poco::JSON::Array::Ptr(new Poco::JSON::Array)) : v);
  return Response::of(o);
}

uint64_t callId(const Request& r) {
  const std::string& id = r.param("id");
  if (id.empty() || id.size() > 19 || id.find_first_not_of("0123456789") != std::string::npos) {
    throw ApiError(400, "invalid_field", "must be a call id (digits)", "id");
  }
  return std::stoull(id);
}

// {"revision", "uptime_s", "gauges": {"calls", ...}, "groups": {"sip": {...}}}:
// a counter "sip.requests_in" lands in group "sip" as "requests_in".
Poco::JSON::Object::Ptr statistics(const Poco::Dynamic::Var& status) {
  const auto in = status.extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("revision", in->get("revision"));
  out->set("uptime_s", in->get("uptime_s"));
  Poco::JSON::Object::Ptr gauges = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const char* name : {"calls", "registrations", "connections"}) {
    gauges->set(name, in->has(name) ? in->get(name) : Poco::Dynamic::Var(0));
  }
  out->set("gauges", gauges);
  Poco::JSON::Object::Ptr groups = new Poco::JSON::Object;
  if (const auto counters = in->getObject("counters")) {
    for (const auto& name : counters->getNames()) {
      const auto dot = name.find('.');
      const std::string group = dot == std::string::npos ? "other" : name.substr(0, dot);
      const std::string rest = dot == std::string::npos ? name : name.substr(dot + 1);
      auto members = groups->getObject(group);
      if (!members) {
        members = new Poco::JSON::Object;
        groups->set(group, members);
      }
      members->set(rest, counters->get(name));
    }
  }
  out->set("groups", groups);
  return out;
}

}  // namespace

void addDaemonRoutes(http::Router& router, Services& s) {
  const std::string base = kApiBase;
  addRoute(router, s, "GET", base + "/status", Access::Read, "callgated status and counters",
           [&s](Request&, const Principal&) { return Response::of(callDaemon(s, "status")); });
  addRoute(router, s, "GET", base + "/calls", Access::Read, "calls in progress",
           [&s](Request&, const Principal&) { return listOf(callDaemon(s, "calls.list")); });
  addRoute(router, s, "GET", base + "/statistics", Access::Read,
           "callgated counters grouped by subsystem", [&s](Request&, const Principal&) {
             auto out = statistics(callDaemon(s, "status"));
             // callgate-mgmt's own parts (webhook deliveries) next to callgated's.
             if (s.ownCounters) {
               auto groups = out->getObject("groups");
               for (const auto& [group, counters] : s.ownCounters()) {
                 Poco::JSON::Object::Ptr members = new Poco::JSON::Object;
                 for (const auto& [name, value] : counters) members->set(name, value);
                 groups->set(group, members);
               }
             }
             return Response::of(out);
           });
  addRoute(router, s, "GET", base + "/calls/{id}", Access::Read, "one call in progress",
           [&s](Request& r, const Principal&) {
             const uint64_t id = callId(r);
             const auto list = callDaemon(s, "calls.list");
             if (!list.isEmpty()) {
               for (const auto& call : *list.extract<Poco::JSON::Array::Ptr>()) {
                 const auto o = call.extract<Poco::JSON::Object::Ptr>();
                 if (o->has("id") && o->get("id").convert<uint64_t>() == id) return Response::of(o);
               }
             }
             throw ApiError(404, "not_found", "no call with id " + std::to_string(id), "id");
           });
  addRoute(router, s, "DELETE", base + "/calls/{id}", Access::Admin, "hang up a call",
           [&s](Request& r, const Principal& who) {
             const uint64_t id = callId(r);
             Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
             params->set("id", id);
             auto result = callDaemon(s, "calls.hangup", params);
             CG_LOG_INFO("mgmt.calls") << who.actor() << " hung up call " << id;
             return Response::of(result);
           });
  addRoute(
      router, s, "GET", base + "/registrations", Access::Read, "registered users",
      [&s](Request&, const Principal&) { return listOf(callDaemon(s, "registrations.list")); });
}

}  // namespace callgate::mgmt::api
