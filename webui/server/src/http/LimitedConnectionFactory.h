#pragma once
// Makes each accepted HTTPS connection an HttpsConnection: Poco's HTTP
// request handling with the per-client connection cap and the request
// deadline around it (see HttpsConnection.h).

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include "http/ConnectionGuard.h"

namespace callgate::mgmt::http {

class LimitedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  LimitedConnectionFactory(ConnectionGuard& guard, Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : guard_(guard), params_(std::move(params)), handlers_(std::move(handlers)) {}

  // Runs on the pool thread that will serve the connection; must not throw
  // (Poco's dispatcher does not catch here), so the cap is checked later, in
  // HttpsConnection::run().
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

 private:
  // passed in; outlives the listener
  ConnectionGuard& guard_;
  // shared with every connection
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

}  // namespace callgate::mgmt::http
