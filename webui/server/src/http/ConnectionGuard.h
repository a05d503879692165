#pragma once
// What all HTTPS connections of the management server share against slow or
// greedy clients: the limits, the per-client connection count, the request
// deadlines, and the rate limits of the log lines about such clients. Owned
// by the Server, which joins every connection's thread before destroying it.

#include <chrono>
#include <cstddef>

#include "core/Clock.h"
#include "http/ClientLogGate.h"
#include "http/ConnectionLimiter.h"
#include "http/RequestDeadlines.h"

namespace callgate::mgmt::http {

struct ConnectionLimits {
  size_t maxConnectionsPerClient = 64;
  // A whole request (TLS handshake for the first, headers and body) within.
  core::Duration requestTimeout = std::chrono::seconds(10);
  // Each send() to a client that stops reading.
  core::Duration sendTimeout = std::chrono::seconds(30);
  // A refused connection's TLS handshake and 503 answer within.
  core::Duration refusalTimeout = std::chrono::seconds(1);
};

struct ConnectionGuard {
  explicit ConnectionGuard(const ConnectionLimits& l)
      : limits(l), limiter(l.maxConnectionsPerClient) {}

  const ConnectionLimits limits;
  ConnectionLimiter limiter;
  RequestDeadlines deadlines;
  // At most one line per client per 10 s for each kind of event.
  ClientLogGate refusalLog{core::SystemClock::instance(), std::chrono::seconds(10)};
  ClientLogGate timeoutLog{core::SystemClock::instance(), std::chrono::seconds(10)};
};

}  // namespace callgate::mgmt::http
