#pragma once
// One HTTPS connection of the management server: Poco's HTTP request loop
// (the one Poco::Net::HTTPServerConnection runs) with the defences against
// slow and greedy clients around it:
//   - a client address over its connection cap gets 503 and is closed;
//   - each request must arrive whole within the request timeout (the TLS
//     handshake counts towards the first): past it, 408 and close.
// Poco's own loop cannot be reused for this: it gives no hook between one
// request and the next, where the deadline is set.

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/TCPServerConnection.h>

#include <string>

#include "http/ConnectionGuard.h"

namespace callgate::mgmt::http {

class HttpsConnection final : public Poco::Net::TCPServerConnection {
 public:
  HttpsConnection(const Poco::Net::StreamSocket& socket, ConnectionGuard& guard,
                  Poco::Net::HTTPServerParams::Ptr params,
                  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : TCPServerConnection(socket),
        guard_(guard),
        params_(std::move(params)),
        handlers_(std::move(handlers)) {}

  void run() override;

 private:
  void serve(RequestDeadlines::Watch& watch, const std::string& client);
  // One request and its answer; false when the connection is to end.
  bool serveOne(Poco::Net::HTTPServerSession& session, RequestDeadlines::Watch& watch,
                const std::string& client);
  // Logs (rate-limited) and answers 408.
  void timedOut(Poco::Net::HTTPServerSession& session, const std::string& client);
  void logTimeout(const std::string& client);
  void refuse(RequestDeadlines::Watch& watch, const std::string& client);

  // passed in
  ConnectionGuard& guard_;
  // shared with the listener and every connection
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

}  // namespace callgate::mgmt::http
