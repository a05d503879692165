#pragma once
// One API request, start to end: route, content type, size limit, JSON
// parse, handler, and the single place where an exception becomes an error
// answer (ApiError → its status; anything else → 500 without details).

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <cstddef>

#include "http/Router.h"

namespace callgate::mgmt::http {

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  ApiHandlerFactory(const Router& router, size_t maxBodyBytes)
      : router_(router), maxBodyBytes_(maxBodyBytes) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  // passed in
  const Router& router_;
  size_t maxBodyBytes_;
};

// Answers every plain-HTTP request with 301 to the same path over HTTPS.
class RedirectHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  RedirectHandlerFactory(std::string fallbackHost, uint16_t httpsPort)
      : fallbackHost_(std::move(fallbackHost)), httpsPort_(httpsPort) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  std::string fallbackHost_;
  uint16_t httpsPort_;
};

}  // namespace callgate::mgmt::http
