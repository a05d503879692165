#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <thread>

#include "core/EventLoop.h"

using namespace callgate::core;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(event_loop)

BOOST_AUTO_TEST_CASE(dispatches_readable_fd) {
  EventLoop loop;
  int fds[2];
  BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  std::string got;
  loop.addFd(fds[0], kReadable, [&](uint32_t events) {
    BOOST_TEST((events & kReadable) != 0U);
    char buf[16];
    const auto n = ::read(fds[0], buf, sizeof buf);
    got.assign(buf, static_cast<size_t>(n));
    loop.removeFd(fds[0]);  // removing itself from inside its handler is allowed
    loop.stop();
  });
  BOOST_REQUIRE(::write(fds[1], "ping", 4) == 4);
  loop.runFor(2s);
  BOOST_TEST(got == "ping");
  ::close(fds[0]);
  ::close(fds[1]);
}

BOOST_AUTO_TEST_CASE(runs_timers_and_posted_tasks) {
  EventLoop loop;
  int order = 0;
  int timerAt = 0;
  int postedAt = 0;
  loop.runAfter(20ms, [&] {
    timerAt = ++order;
    loop.stop();
  });
  std::thread other([&] { loop.post([&] { postedAt = ++order; }); });
  loop.runFor(5s);
  other.join();
  BOOST_TEST(postedAt == 1);
  BOOST_TEST(timerAt == 2);
}

BOOST_AUTO_TEST_CASE(stop_from_another_thread_ends_run) {
  EventLoop loop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    loop.stop();
  });
  const auto start = SteadyClock::now();
  loop.run();
  stopper.join();
  BOOST_TEST((SteadyClock::now() - start) < 5s);
}

BOOST_AUTO_TEST_SUITE_END()
