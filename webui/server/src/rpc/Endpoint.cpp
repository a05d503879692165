#include "rpc/Endpoint.h"

#include "core/Log.h"
#include "rpc/Authentication.h"
#include "rpc/Dispatcher.h"
#include "xmlrpc/Encoder.h"
#include "xmlrpc/Parser.h"
#include "xmlrpc/ValueWriter.h"

namespace callgate::mgmt::rpc {
namespace {

constexpr std::string_view kLogTag = "mgmt.rpc";

http::Response xml(std::string body) {
  http::Response r;
  r.raw = std::move(body);
  r.contentType = "text/xml";
  return r;
}

http::Response fault(const xmlrpc::Fault& f) {
  return xml(xmlrpc::encodeFault(f.code, f.message));
}

}  // namespace

void addXmlRpcRoute(http::Router& router, api::Services& s) {
  http::Route route;
  route.method = "POST";
  route.pattern = kRpcPath;
  // The endpoint authenticates each call itself (API key or Basic) and
  // answers faults rather than HTTP errors, as XML-RPC clients expect.
  route.access = http::Access::Public;
  route.body = http::BodyKind::Xml;
  route.maxBodyBytes = kMaxRpcBodyBytes;
  route.summary = "XML-RPC: the same operations as /api/v1 (system.listMethods lists them)";
  route.handler = [&s, &router](http::Request& r) {
    const std::string& address = r.clientAddress;
    api::Principal who;
    try {
      who = authenticate(s, r.header("authorization"), address);
    } catch (const http::ApiError& e) {
      return fault(faultOf(e));
    }
    xmlrpc::Limits limits;
    limits.maxBodyBytes = kMaxRpcBodyBytes;
    const auto parsed = xmlrpc::parseMethodCall(r.body, limits);
    if (!parsed.call) {
      CG_LOG_INFO(kLogTag) << who.actor() << " sent a bad request: " << parsed.error.message;
      return fault(parsed.error);
    }
    const Dispatcher dispatcher(router);
    const auto outcome = dispatcher.call(*parsed.call, std::any(who), address);
    if (const auto* f = std::get_if<xmlrpc::Fault>(&outcome)) {
      CG_LOG_INFO(kLogTag) << who.actor() << " " << parsed.call->methodName << " → fault "
                           << f->code;
      return fault(*f);
    }
    CG_LOG_INFO(kLogTag) << who.actor() << " " << parsed.call->methodName << " → ok";
    try {
      return xml(xmlrpc::encodeResponse(std::get<xmlrpc::Value>(outcome), limits));
    } catch (const xmlrpc::EncodeError& e) {
      CG_LOG_ERROR(kLogTag) << parsed.call->methodName << ": cannot encode: " << e.what();
      return fault({xmlrpc::kInternalError, "the result cannot be sent over XML-RPC"});
    }
  };
  router.add(std::move(route));
}

}  // namespace callgate::mgmt::rpc
