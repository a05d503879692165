#include "http/Server.h"

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

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
    : pool_(std::make_unique<Poco::ThreadPool>(2, o.maxThreads + 6)) {
  Poco::Net::SecureServerSocket secure(Poco::Net::SocketAddress(o.address, o.httpsPort),
                                       o.maxQueued, tls);
  https_ = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(router, o.maxBodyBytes),
                                                   *pool_, secure, paramsFor(o));
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
  if (https_) https_->stopAll(true);
  if (pool_) pool_->joinAll();
}

}  // namespace callgate::mgmt::http
