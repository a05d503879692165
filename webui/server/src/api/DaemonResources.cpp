// What callgated reports, through its control socket.
//   GET    /api/v1/status         control method status
//   GET    /api/v1/calls          calls.list
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
    throw ApiError(503, "daemon_unavailable",
                   std::string("callgated is not reachable: ") + e.what());
  }
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

}  // namespace

void addDaemonRoutes(http::Router& router, Services& s) {
  const std::string base = kApiBase;
  addRoute(router, s, "GET", base + "/status", Access::Read, "callgated status and counters",
           [&s](Request&, const Principal&) { return Response::of(callDaemon(s, "status")); });
  addRoute(router, s, "GET", base + "/calls", Access::Read, "calls in progress",
           [&s](Request&, const Principal&) { return listOf(callDaemon(s, "calls.list")); });
  addRoute(router, s, "DELETE", base + "/calls/{id}", Access::Admin, "hang up a call",
           [&s](Request& r, const Principal& who) {
             const std::string id = r.param("id");
             if (id.empty() || id.size() > 19 ||
                 id.find_first_not_of("0123456789") != std::string::npos) {
               throw ApiError(400, "invalid_field", "must be a call id (digits)", "id");
             }
             Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
             params->set("id", static_cast<uint64_t>(std::stoull(id)));
             auto result = callDaemon(s, "calls.hangup", params);
             CG_LOG_INFO("mgmt.calls") << who.actor() << " hung up call " << id;
             return Response::of(result);
           });
  addRoute(
      router, s, "GET", base + "/registrations", Access::Read, "registered users",
      [&s](Request&, const Principal&) { return listOf(callDaemon(s, "registrations.list")); });
}

}  // namespace callgate::mgmt::api
