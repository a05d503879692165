#include "http/Server.h"

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>

#include "http/LimitedConnectionFactory.h"
#include "http/RequestHandler.h"

namespace callgate::mgmt::http {
namespace {

Poco::Net::HTTPServerParams::Ptr paramsFor(const ServerOptions& o) {
  Poco::Net::HTTPServerParams::Ptr p = new Poco::Net::HTTPServerParams;
  p->setMaxThreads(o.maxThreads);
  p->setMaxQueued(o.maxQueued);
  p->setTimeout(Poco::Timespan(o.receiveTimeoutS, 0));
  p->setKeepAlive(true);
  p->setKeepAliveTimeout(Poco::Timespan(o.keepAliveTimeoutS, 0));
  p->setMaxKeepAliveRequests(o.maxKeepAliveRequests);
  return p;
}

}  // namespace

Server::Server(const ServerOptions& o, Poco::Net::Context::Ptr tls, const Router& router)
    : guard_(std::make_unique<ConnectionGuard>(
          ConnectionLimits{.maxConnectionsPerClient = o.maxConnectionsPerAddress,
                           .requestTimeout = std::chrono::seconds(o.requestTimeoutS),
                           .sendTimeout = std::chrono::seconds(o.receiveTimeoutS)})),
      pool_(std::make_unique<Poco::ThreadPool>(2, o.maxThreads + 6)) {
  Poco::Net::SecureServerSocket secure(Poco::Net::SocketAddress(o.address, o.httpsPort),
                                       o.maxQueued, tls);
  // Poco's HTTPServer takes only a request handler factory; the connections
  // themselves are ours (HttpsConnection), so the listener is a TCPServer.
  auto httpsParams = paramsFor(o);
  // The wait for a new connection's first bytes (Poco polls the socket
  // before reading): no longer than the whole first request may take.
  httpsParams->setTimeout(Poco::Timespan(o.requestTimeoutS, 0));
  https_ = std::make_unique<Poco::Net::TCPServer>(
      new LimitedConnectionFactory(*guard_, httpsParams,
                                   new ApiHandlerFactory(router, o.maxBodyBytes)),
      *pool_, secure, httpsParams);
  if (o.redirectPort != 0) {
    Poco::Net::ServerSocket plain(Poco::Net::SocketAddress(o.address, o.redirectPort), 64);
    auto params = paramsFor(o);
    params->setMaxThreads(2);
    params->setKeepAlive(false);
    redirect_ = std::make_unique<Poco::Net::HTTPServer>(
        new RedirectHandlerFactory(o.address, o.httpsPort), *pool_, plain, params);
  }
}

Server::~Server() {
  stop();
}

void Server::start() {
  https_->start();
  if (redirect_) redirect_->start();
}

void Server::stop() {
  if (redirect_) redirect_->stopAll(true);
  if (https_) https_->stop();                // accepts no more
  if (guard_) guard_->deadlines.abortAll();  // and ends the open connections
  if (pool_) pool_->joinAll();
}

}  // namespace callgate::mgmt::http
