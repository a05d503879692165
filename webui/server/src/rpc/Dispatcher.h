#pragma once
// Runs an XML-RPC call against the REST route table: the method names a
// route (Methods.h), its parameters become the route's path segments, body
// or query, and the route's handler runs in-process with the caller already
// authenticated. ApiErrors become faults whose code is the HTTP status and
// whose message names the field:
//   422 "validation_failed: port: must be 0..65535"
// Parameter mistakes are -32602, unknown methods -32601 (the
// interoperability codes of xmlrpc/Types.h).

#include <any>
#include <string>
#include <variant>

#include "http/ApiError.h"
#include "http/Router.h"
#include "rpc/Methods.h"
#include "xmlrpc/Parser.h"
#include "xmlrpc/Types.h"

namespace callgate::mgmt::rpc {

using Outcome = std::variant<xmlrpc::Value, xmlrpc::Fault>;

class Dispatcher {
 public:
  explicit Dispatcher(const http::Router& router) : router_(router) {}

  // `principal` goes into Request::principal for the API guard. Never throws.
  Outcome call(const xmlrpc::MethodCall& call, const std::any& principal,
               const std::string& clientAddress) const;

 private:
  Outcome system(const xmlrpc::MethodCall& call) const;
  // The methods whose route this router has.
  bool available(const MethodSpec& spec) const;

  // passed in
  const http::Router& router_;
};

// "validation_failed: port: must be 0..65535" for an ApiError.
xmlrpc::Fault faultOf(const http::ApiError& error);

}  // namespace callgate::mgmt::rpc
