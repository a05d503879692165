#pragma once
// A time limit on each whole request of a connection (TLS handshake, headers
// and body), enforced by one watch thread for all connections.
//
// Why a thread working on the socket: Poco 1.11 reads a request with blocking
// socket calls, and a receive timeout (SO_RCVTIMEO, what
// HTTPServerParams::setTimeout stands for) bounds each recv() only, so a
// client sending a byte every few seconds holds a server thread forever. No
// read can be hooked from outside either: Poco's header parser reads through
// non-virtual HTTPSession calls, and OpenSSL reads the socket itself, as many
// times as it takes within one SSL_read while a TLS record trickles in. So:
//   - while a request is under way the watch keeps the socket's receive
//     timeout at the time left, at every tick, so each recv() ends by the
//     deadline (give or take a tick). Poco's blocking SSL_read then fails
//     with Poco::TimeoutException, the TLS session stays usable, and the
//     connection can still answer 408;
//   - a connection still reading `grace` after its deadline (a TLS record
//     trickled byte by byte keeps every recv() short) has its socket's
//     receiving side shut down: each read then ends at once. Sending still
//     works, so an answer that is under way gets out.
// The watch keeps its own duplicate of each descriptor, so a descriptor
// number that is closed and reused elsewhere is never touched. It runs on
// the steady clock: it works on real sockets, whose timeouts are real time.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "core/Clock.h"

namespace callgate::mgmt::http {

class RequestDeadlines {
 public:
  explicit RequestDeadlines(core::Duration tick = std::chrono::milliseconds(100),
                            core::Duration grace = std::chrono::seconds(1));
  ~RequestDeadlines();  // stops the thread; every Watch must be gone
  RequestDeadlines(const RequestDeadlines&) = delete;
  RequestDeadlines& operator=(const RequestDeadlines&) = delete;

  // One connection's socket under watch, until destroyed.
  class Watch {
   public:
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    // A request starts now and must have arrived within `budget`.
    void arm(core::Duration budget);
    // The request has been read and answered: no limit until the next arm().
    void disarm();
    // The armed request has run past its deadline.
    bool expired() const;

   private:
    friend class RequestDeadlines;
    Watch(RequestDeadlines& owner, int fd) : owner_(owner), fd_(fd) {}
    // passed in
    RequestDeadlines& owner_;
    // owned: a duplicate of the connection's descriptor
    const int fd_;
    // guarded by owner_.mutex_
    bool armed_ = false;
    bool shut_ = false;
    core::TimePoint deadline_;
  };

  // Watches the socket `fd`, which is duplicated (the caller keeps and closes
  // its own). Null when no descriptor is left to duplicate it into.
  std::unique_ptr<Watch> watch(int fd);
  // Shuts every watched socket down, and every one watched from now on: the
  // server is stopping and its threads must finish.
  void abortAll();
  size_t watched() const;

 private:
  void run();
  void enforce(Watch& w, core::TimePoint now);

  // owned
  const core::Duration tick_;
  const core::Duration grace_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::set<Watch*> watches_;
  bool aborting_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace callgate::mgmt::http
