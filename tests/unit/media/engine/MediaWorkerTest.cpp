#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <future>

#include "media/engine/MediaWorker.h"

using namespace callgate::media::engine;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(media_worker)

BOOST_AUTO_TEST_CASE(posted_tasks_run_in_order_on_the_worker_thread) {
  MediaWorker worker(0);
  worker.start();
  std::vector<int> order;
  std::atomic<bool> onWorker{true};
  for (int i = 0; i < 100; ++i) {
    worker.post([&, i] {
      onWorker = onWorker && worker.onWorkerThread();
      order.push_back(i);
    });
  }
  worker.runAndWait([] {});
  BOOST_TEST(onWorker.load());
  BOOST_TEST(order.size() == 100u);
  BOOST_TEST(std::is_sorted(order.begin(), order.end()));
  BOOST_TEST(!worker.onWorkerThread());
}

BOOST_AUTO_TEST_CASE(timers_repeat_until_they_return_false) {
  MediaWorker worker(1);
  worker.start();
  WorkerTimer timer;
  std::promise<int> done;
  int fired = 0;
  worker.runAndWait([&] {
    timer.start(worker, 5ms, [&] {
      if (++fired < 3) return true;
      done.set_value(fired);
      return false;
    });
  });
  auto result = done.get_future();
  BOOST_TEST_REQUIRE((result.wait_for(2s) == std::future_status::ready));
  BOOST_TEST(result.get() == 3);
  worker.runAndWait([&] { BOOST_TEST(!timer.active()); });
}

BOOST_AUTO_TEST_CASE(cancelled_timers_never_fire) {
  MediaWorker worker(2);
  worker.start();
  std::atomic<int> fired{0};
  {
    WorkerTimer timer;
    worker.runAndWait([&] {
      timer.start(worker, 20ms, [&] {
        ++fired;
        return true;
      });
      timer.cancel();
    });
    std::this_thread::sleep_for(60ms);
    worker.runAndWait([] {});
  }
  BOOST_TEST(fired.load() == 0);
}

BOOST_AUTO_TEST_CASE(fd_watch_reports_readable_sockets) {
  MediaWorker worker(3);
  worker.start();
  int fds[2];
  BOOST_TEST_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, fds) == 0);
  FdWatch watch;
  std::promise<std::string> received;
  worker.runAndWait([&] {
    watch.start(worker, fds[0], [&] {
      char buffer[64];
      const auto n = recv(fds[0], buffer, sizeof buffer, 0);
      if (n > 0) received.set_value(std::string(buffer, static_cast<size_t>(n)));
    });
  });
  BOOST_TEST(send(fds[1], "ping", 4, 0) == 4);
  auto result = received.get_future();
  BOOST_TEST_REQUIRE((result.wait_for(2s) == std::future_status::ready));
  BOOST_TEST(result.get() == "ping");
  worker.runAndWait([&] { watch.cancel(); });
  close(fds[0]);
  close(fds[1]);
}

BOOST_AUTO_TEST_SUITE_END()
