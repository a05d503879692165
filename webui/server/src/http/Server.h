#pragma once
// The listeners of callgate-mgmt: HTTPS for the API, and optionally plain
// HTTP that only redirects. Bounded threads and queue, keep-alive limits, a
// deadline on each whole request and a cap on the connections one client
// holds, so slow, idle or greedy clients cannot exhaust the server.

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <cstdint>
#include <memory>
#include <string>

#include "http/ConnectionGuard.h"
#include "http/Router.h"

namespace callgate::mgmt::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t httpsPort = 8443;
  uint16_t redirectPort = 0;  // 0: none
  size_t maxBodyBytes = 1024 * 1024;
  // Poco serves one connection per pool thread; accepted connections wait in
  // a queue (and the kernel's backlog) for a thread. A long queue costs a
  // socket each and keeps a burst of clients from being reset; short
  // keep-alive lets waiting connections have a thread soon.
  int maxThreads = 32;
  int maxQueued = 1024;
  int receiveTimeoutS = 30;  // HTTPS: each send() to a client that stops reading
  int keepAliveTimeoutS = 2;
  int maxKeepAliveRequests = 20;
  // HTTPS: a whole request (headers and body; for the first one also the TLS
  // handshake) must arrive within this, else 408 and close.
  int requestTimeoutS = 10;
  // HTTPS connections one client address (IPv6: one /64) may hold; beyond
  // it, 503 and close.
  size_t maxConnectionsPerAddress = 64;
};

class Server {
 public:
  // Binds both sockets (throws Poco::Exception when a port is taken).
  Server(const ServerOptions& options, Poco::Net::Context::Ptr tls, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start();
  void stop();

 private:
  // owned; the guard first, so that it outlives the threads using it
  std::unique_ptr<ConnectionGuard> guard_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::TCPServer> https_;
  std::unique_ptr<Poco::Net::HTTPServer> redirect_;
};

}  // namespace callgate::mgmt::http
