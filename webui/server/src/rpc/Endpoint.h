#pragma once
// POST /RPC2: XML-RPC (http://xmlrpc.com/spec.md) over the REST operations,
// for call-centre software that speaks it. Every answer is 200 text/xml, a
// methodResponse or a fault (docs/api.md lists the codes).

#include "api/Services.h"
#include "http/Router.h"

namespace callgate::mgmt::rpc {

constexpr const char* kRpcPath = "/RPC2";
constexpr size_t kMaxRpcBodyBytes = 4 * 1024 * 1024;

// Adds the route. It dispatches into `router` itself, which must not move
// afterwards.
void addXmlRpcRoute(http::Router& router, api::Services& services);

}  // namespace callgate::mgmt::rpc
