#pragma once
// The REST resources of /api/v1, one function per group; buildRouter()
// puts them all in one table. (The XML-RPC endpoint, rpc/, adds /RPC2 on
// top of that table and dispatches into it.)

#include <string>

#include "api/Services.h"
#include "http/Router.h"

namespace callgate::mgmt::api {

constexpr const char* kApiBase = "/api/v1";

void addCollectionRoutes(http::Router& router, Services& services);  // listeners, peers, ...
void addSettingsRoutes(http::Router& router, Services& services);    // settings/<section>
void addBackupRoutes(http::Router& router, Services& services);      // backup, restore
void addSessionRoutes(http::Router& router, Services& services);     // login, logout, password
void addUserRoutes(http::Router& router, Services& services);        // users, api_keys
void addDaemonRoutes(http::Router& router, Services& services);      // status, calls, registrations
void addAuditRoutes(http::Router& router, Services& services);
void addEventRoutes(http::Router& router, Services& services);        // events (EventLog)
void addCertificateRoutes(http::Router& router, Services& services);  // certificates
void addOpenApiRoute(http::Router& router, Services& services);       // openapi.json
void addCallmeRoutes(http::Router& router, Services& services);  // callme/tokens, widget's button
// Outside /api/v1 and the OpenAPI document: the widget file and the demo shop.
void addWebRoutes(http::Router& router, Services& services);

http::Router buildRouter(Services& services);

// Whether docs/openapi.json describes the route: the API and XML-RPC, not
// the widget's and the demo shop's paths.
inline bool inOpenApiDocument(const std::string& pattern) {
  return pattern.starts_with("/api/") || pattern == "/RPC2";
}

}  // namespace callgate::mgmt::api
