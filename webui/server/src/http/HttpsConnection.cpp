#include "http/HttpsConnection.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>
#include <poll.h>
#include <sys/socket.h>

#include <memory>

#include "core/Log.h"
#include "http/ApiError.h"
#include "http/Json.h"
#include "http/SecurityHeaders.h"

namespace callgate::mgmt::http {
namespace {

constexpr std::string_view kLogTag = "mgmt";
// After a refusal, what the client had already sent is read and dropped for
// this long: closing a socket with unread data resets the connection
// (RFC 9293 §3.6.1, RFC 1122 §4.2.2.13), and a reset can destroy the 503
// before the client reads it.
constexpr auto kLinger = std::chrono::milliseconds(500);
constexpr size_t kMaxLingerBytes = 64 * 1024;
// How long a refused connection may take to send its first bytes (a client
// sends its ClientHello right after connecting).
constexpr auto kClientHelloWait = std::chrono::milliseconds(250);

Poco::Timespan timespan(core::Duration d) {
  return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

long long wholeSeconds(core::Duration d) {
  return std::chrono::ceil<std::chrono::seconds>(d).count();
}

// An error answer in the API's JSON shape, then the connection closes.
void sendError(Poco::Net::HTTPServerSession& session, const ApiError& error) {
  Poco::Net::HTTPServerResponseImpl response(session);
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(error.status()));
  response.setDate(Poco::Timestamp());
  addSecurityHeaders(response, true, true);
  if (error.retryAfterSeconds > 0) {
    response.set("Retry-After", std::to_string(error.retryAfterSeconds));
  }
  response.setKeepAlive(false);
  const std::string body = stringify(errorBody(error));
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  std::ostream& out = response.send();
  out << body;
  out.flush();
  session.setKeepAlive(false);
}

// Ends the sending side and drops what the client sends until it closes
// too, for at most kLinger.
void linger(int fd) {
  ::shutdown(fd, SHUT_WR);
  const auto end = core::SteadyClock::now() + kLinger;
  char buffer[4096];
  size_t dropped = 0;
  while (dropped < kMaxLingerBytes) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(end - core::SteadyClock::now());
    if (left.count() <= 0) return;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
    const auto n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n <= 0) return;
    dropped += static_cast<size_t>(n);
  }
}

bool isTimeout(const Poco::Exception& e) {
  return dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr;
}

}  // namespace

void HttpsConnection::run() {
  std::string client;
  try {
    client = ConnectionLimiter::clientKey(socket().peerAddress().host());
  } catch (const Poco::Exception&) {
    return;  // the client is gone already
  }
  auto slot = guard_.limiter.acquire(client);
  const auto watch = guard_.deadlines.watch(socket().impl()->sockfd());
  if (!watch) {
    CG_LOG_RATE_LIMITED_WARN(kLogTag) << "out of descriptors: closed a connection from " << client;
    return;
  }
  if (!slot) {
    refuse(*watch, client);
    return;
  }
  serve(*watch, client);
}

void HttpsConnection::serve(RequestDeadlines::Watch& watch, const std::string& client) {
  const auto& limits = guard_.limits;
  Poco::Net::HTTPServerSession session(socket(), params_);
  socket().setSendTimeout(timespan(limits.sendTimeout));
  // The TLS handshake happens on the first read and counts towards the
  // first request. Between requests the connection waits (idle) for at most
  // the keep-alive timeout, without a deadline.
  watch.arm(limits.requestTimeout);
  bool first = true;
  while (session.hasMoreRequests()) {
    if (!first) watch.arm(limits.requestTimeout);
    first = false;
    if (!serveOne(session, watch, client)) break;
    watch.disarm();
  }
}

bool HttpsConnection::serveOne(Poco::Net::HTTPServerSession& session,
                               RequestDeadlines::Watch& watch, const std::string& client) {
  try {
    Poco::Net::HTTPServerResponseImpl response(session);
    Poco::Net::HTTPServerRequestImpl request(response, session, params_.get());  // the headers
    response.setDate(Poco::Timestamp());
    response.setVersion(request.getVersion());
    response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                          session.canKeepAlive());
    try {
      std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
          handlers_->createRequestHandler(request));
      if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
        response.sendContinue();
      }
      // Reads the body (and answers 408 when the deadline cuts it off).
      handler->handleRequest(request, response);
      if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_REQUEST_TIMEOUT) {
        logTimeout(client);
      }
    } catch (const Poco::Exception&) {
      if (!response.sent()) {
        try {
          sendError(session, ApiError(500, "internal_error", "internal error"));
        } catch (const Poco::Exception&) {
        }
      }
      return false;
    }
    session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                         session.canKeepAlive());
    return true;
  } catch (const Poco::Net::NoMessageException&) {
    // Closed, or nothing arrived (a client that connected and stayed silent).
    if (watch.expired()) timedOut(session, client);
  } catch (const Poco::Net::MessageException&) {
    // A timeout in the middle of the headers reaches Poco's parser as a
    // truncated header: the deadline tells the two apart.
    if (watch.expired()) {
      timedOut(session, client);
    } else {
      try {
        sendError(session, ApiError(400, "bad_request", "malformed HTTP request"));
      } catch (const Poco::Exception&) {
      }
    }
  } catch (const Poco::Exception& e) {
    if (watch.expired() || isTimeout(e)) timedOut(session, client);
  }
  return false;
}

void HttpsConnection::logTimeout(const std::string& client) {
  if (const auto heldBack = guard_.timeoutLog.allow(client)) {
    CG_LOG_WARN(kLogTag) << "closed a connection from " << client << ": no whole request within "
                         << wholeSeconds(guard_.limits.requestTimeout) << " s"
                         << (*heldBack
                                 ? " (" + std::to_string(*heldBack) + " more since the last line)"
                                 : std::string());
  }
}

void HttpsConnection::timedOut(Poco::Net::HTTPServerSession& session, const std::string& client) {
  logTimeout(client);
  const auto seconds = wholeSeconds(guard_.limits.requestTimeout);
  // RFC 9110 §15.5.9: 408, and close. When the timeout struck within the
  // TLS handshake, or the socket had to be shut down, nothing can be sent.
  try {
    sendError(session,
              ApiError(408, "request_timeout",
                       "the request did not arrive within " + std::to_string(seconds) + " s"));
  } catch (const Poco::Exception&) {
  }
}

void HttpsConnection::refuse(RequestDeadlines::Watch& watch, const std::string& client) {
  const auto& limits = guard_.limits;
  const auto max = guard_.limiter.maxPerClient();
  if (const auto heldBack = guard_.refusalLog.allow(client)) {
    CG_LOG_WARN(kLogTag) << "refused a connection from " << client << ": it already has " << max
                         << " open (the limit)"
                         << (*heldBack ? " (" + std::to_string(*heldBack) +
                                             " more refused since the last line)"
                                       : std::string());
  }
  // A refusal must cost a server thread little, or a client could hold the
  // threads with connections it knows will be refused. One that has not even
  // sent its TLS ClientHello yet gets no answer.
  pollfd hello{socket().impl()->sockfd(), POLLIN, 0};
  if (::poll(&hello, 1, static_cast<int>(kClientHelloWait.count())) <= 0) return;
  // The answer goes out over TLS: the handshake happens on this first write.
  // A client that stalls it is cut off by the deadline.
  watch.arm(limits.refusalTimeout);
  try {
    socket().setSendTimeout(timespan(limits.refusalTimeout));
    Poco::Net::HTTPServerSession session(socket(), params_);
    ApiError error(503, "too_many_connections",
                   "too many connections from this address (the limit is " + std::to_string(max) +
                       "); close some and try again");
    error.retryAfterSeconds = 1;
    sendError(session, error);
    linger(socket().impl()->sockfd());
  } catch (const Poco::Exception&) {
    // The client left or stalled its handshake: there is nobody to tell.
  }
}

}  // namespace callgate::mgmt::http
