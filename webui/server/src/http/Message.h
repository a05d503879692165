#pragma once
// A request as the API handlers see it and the response they return; the
// HTTP plumbing (Poco) stays in RequestHandler.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <any>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace callgate::mgmt::http {

struct Request {
  std::string method;
  std::string path;                           // decoded segments joined, no query
  std::map<std::string, std::string> params;  // {name} segments of the route
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::map<std::string, std::string> cookies;
  std::string clientAddress;
  std::string body;              // raw, within the size limit
  Poco::JSON::Object::Ptr json;  // the body when it is a JSON object
  // Set only by in-process front ends (XML-RPC) that have authenticated the
  // caller themselves: the API guard then uses it instead of the headers.
  // Never filled from the network.
  std::any principal;

  std::string header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
  }
  // The {name} segment; the router guarantees it exists for its pattern.
  const std::string& param(const std::string& name) const { return params.at(name); }
  // The JSON body; ApiError 400 when there is none.
  const Poco::JSON::Object& bodyObject() const;
};

struct Response {
  int status = 200;
  Poco::Dynamic::Var json;  // serialised unless `raw` is set
  std::string raw;          // sent as is (with contentType)
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;

  static Response of(Poco::Dynamic::Var body, int status = 200) {
    Response r;
    r.status = status;
    r.json = std::move(body);
    return r;
  }
};

}  // namespace callgate::mgmt::http
