#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <thread>

#include "http/RequestDeadlines.h"

// Real sockets and real time (the watch works on socket timeouts): the
// durations are short, the bounds generous for a loaded machine.

using namespace callgate::mgmt::http;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct SocketPair {
  int server = -1;
  int client = -1;
  SocketPair() {
    int fds[2];
    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    server = fds[0];
    client = fds[1];
  }
  ~SocketPair() {
    ::close(server);
    ::close(client);
  }
};

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Sends a byte every `gap` until stopped: a slow client.
class Trickle {
 public:
  Trickle(int fd, std::chrono::milliseconds gap)
      : thread_([this, fd, gap] {
          while (!stop_) {
            if (::send(fd, "x", 1, MSG_NOSIGNAL) != 1) return;
            std::this_thread::sleep_for(gap);
          }
        }) {}
  ~Trickle() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(request_deadlines)

BOOST_AUTO_TEST_CASE(a_silent_client_times_out_at_the_deadline) {
  RequestDeadlines deadlines(20ms, 2s);
  SocketPair pair;
  auto watch = deadlines.watch(pair.server);
  BOOST_REQUIRE(watch);
  const auto start = Clock::now();
  watch->arm(300ms);
  BOOST_TEST(!watch->expired());
  char c;
  // A blocking read with no timeout of its own ends at the deadline.
  BOOST_TEST(::recv(pair.server, &c, 1, 0) == -1);
  BOOST_TEST((errno == EAGAIN || errno == EWOULDBLOCK));
  const double took = secondsSince(start);
  BOOST_TEST(took >= 0.25);
  BOOST_TEST(took < 1.5);
  BOOST_TEST(watch->expired());
}

BOOST_AUTO_TEST_CASE(past_the_deadline_a_trickle_no_longer_keeps_a_read_waiting) {
  RequestDeadlines deadlines(20ms, 5s);
  SocketPair pair;
  auto watch = deadlines.watch(pair.server);
  BOOST_REQUIRE(watch);
  Trickle trickle(pair.client, 100ms);
  const auto start = Clock::now();
  watch->arm(400ms);
  char buffer[64];
  int bytes = 0;
  // Every byte arrives well within the first receive timeout; once the
  // deadline has passed the timeout is the shortest, so a read that finds
  // nothing waiting fails.
  for (;;) {
    const auto n = ::recv(pair.server, buffer, 1, 0);
    if (n <= 0) break;
    bytes += static_cast<int>(n);
  }
  const double took = secondsSince(start);
  BOOST_TEST(bytes >= 2);
  BOOST_TEST(took >= 0.35);
  BOOST_TEST(took < 2.0);
  BOOST_TEST(watch->expired());
}

BOOST_AUTO_TEST_CASE(a_reader_that_retries_is_shut_out_after_the_grace) {
  // What OpenSSL does while a TLS record trickles in: read on and on.
  RequestDeadlines deadlines(20ms, 400ms);
  SocketPair pair;
  auto watch = deadlines.watch(pair.server);
  BOOST_REQUIRE(watch);
  Trickle trickle(pair.client, 5ms);
  const auto start = Clock::now();
  watch->arm(200ms);
  char buffer[64];
  ssize_t n = 0;
  while (secondsSince(start) < 10.0) {
    n = ::recv(pair.server, buffer, sizeof buffer, 0);
    if (n == 0) break;  // the receiving side was shut down
  }
  const double took = secondsSince(start);
  BOOST_TEST(n == 0);
  BOOST_TEST(took >= 0.55);
  BOOST_TEST(took < 3.0);
  // Sending still works: an answer can get out.
  BOOST_TEST(::send(pair.server, "408", 3, MSG_NOSIGNAL) == 3);
  char answer[3] = {};
  BOOST_TEST(::recv(pair.client, answer, 3, MSG_WAITALL) == 3);
  BOOST_TEST(std::string(answer, 3) == "408");
}

BOOST_AUTO_TEST_CASE(a_disarmed_connection_is_left_alone) {
  RequestDeadlines deadlines(20ms, 100ms);
  SocketPair pair;
  auto watch = deadlines.watch(pair.server);
  BOOST_REQUIRE(watch);
  watch->arm(50ms);
  watch->disarm();
  std::this_thread::sleep_for(400ms);  // past deadline and grace
  BOOST_TEST(!watch->expired());
  char c;
  BOOST_TEST(::recv(pair.server, &c, 1, MSG_DONTWAIT) == -1);  // still open, just empty
  BOOST_TEST((errno == EAGAIN || errno == EWOULDBLOCK));
  BOOST_TEST(::send(pair.client, "y", 1, MSG_NOSIGNAL) == 1);
  BOOST_TEST(::recv(pair.server, &c, 1, 0) == 1);
  BOOST_TEST(c == 'y');
  // A new request gets a fresh deadline.
  watch->arm(10s);
  BOOST_TEST(!watch->expired());
}

BOOST_AUTO_TEST_CASE(abort_all_ends_open_and_later_connections) {
  RequestDeadlines deadlines(20ms, 1s);
  SocketPair a;
  SocketPair b;
  {
    auto watch = deadlines.watch(a.server);
    BOOST_REQUIRE(watch);
    BOOST_TEST(deadlines.watched() == 1U);
    std::thread stopper([&] {
      std::this_thread::sleep_for(100ms);
      deadlines.abortAll();
    });
    char c;
    BOOST_TEST(::recv(a.server, &c, 1, 0) == 0);  // a blocked read ends
    stopper.join();
    auto late = deadlines.watch(b.server);
    BOOST_REQUIRE(late);
    BOOST_TEST(::recv(b.server, &c, 1, 0) == 0);
    BOOST_TEST(deadlines.watched() == 2U);
  }
  BOOST_TEST(deadlines.watched() == 0U);
}

BOOST_AUTO_TEST_CASE(a_watch_keeps_its_own_descriptor) {
  RequestDeadlines deadlines(20ms, 5s);
  SocketPair pair;
  const int copy = ::dup(pair.server);
  auto watch = deadlines.watch(copy);
  BOOST_REQUIRE(watch);
  ::close(copy);  // the connection closes its descriptor first
  watch->arm(100ms);
  std::this_thread::sleep_for(200ms);  // the watch works on its duplicate
  char c;
  BOOST_TEST(::recv(pair.server, &c, 1, 0) == -1);  // the socket's timeout was set
  BOOST_TEST((errno == EAGAIN || errno == EWOULDBLOCK));
  watch.reset();
  BOOST_TEST(deadlines.watched() == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
