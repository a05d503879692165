#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <functional>
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
    watch.start(worker, fds[0], [&](uint32_t) {
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

namespace {

struct CountingTick final : TickListener {
  void onWorkerTick(int64_t nowUs) override {
    ++ticks;
    if (first == 0) first = nowUs;
    last = nowUs;
    if (onTick) onTick();
  }
  int ticks = 0;
  int64_t first = 0;
  int64_t last = 0;
  std::function<void()> onTick;
};

}  // namespace

BOOST_AUTO_TEST_CASE(one_worker_tick_drives_every_listener_until_removed) {
  MediaWorker worker(4);
  worker.start();
  CountingTick a, b;
  worker.runAndWait([&] {
    worker.addTickListener(a);
    worker.addTickListener(b);
  });
  std::this_thread::sleep_for(200ms);
  worker.runAndWait([&] {
    BOOST_TEST(a.ticks >= 3);
    BOOST_TEST(b.ticks >= 3);
    BOOST_TEST(std::abs(a.ticks - b.ticks) <= 1);
    worker.removeTickListener(a);
  });
  int aAfter = 0, bBefore = 0;
  worker.runAndWait([&] {
    aAfter = a.ticks;
    bBefore = b.ticks;
  });
  std::this_thread::sleep_for(100ms);
  worker.runAndWait([&] {
    BOOST_TEST(a.ticks == aAfter);
    BOOST_TEST(b.ticks > bBefore);
    worker.removeTickListener(b);
    BOOST_TEST(worker.tickListenerCount() == 0u);
  });
}

BOOST_AUTO_TEST_CASE(listeners_are_spread_over_the_tick_period) {
  MediaWorker worker(7);
  worker.start();
  std::array<CountingTick, kTickPhases> listeners;
  worker.runAndWait([&] {
    for (auto& l : listeners) worker.addTickListener(l);
  });
  std::this_thread::sleep_for(300ms);
  worker.runAndWait([&] {
    // Each is called every 20 ms (not every 5), and each in a slot of its
    // own: no two are called in the same walk, so a worker's per-call work
    // does not come all at once. (Slots are 5 ms apart unless the worker
    // runs late; only their being distinct is asserted.)
    for (size_t i = 0; i < listeners.size(); ++i) {
      BOOST_TEST_INFO("listener " << i);
      BOOST_TEST(listeners[i].ticks >= 5);
      const int64_t average =
          (listeners[i].last - listeners[i].first) / std::max(1, listeners[i].ticks - 1);
      BOOST_TEST(average >= 15000);
      for (size_t j = 0; j < i; ++j) BOOST_TEST(listeners[i].first != listeners[j].first);
    }
    for (auto& l : listeners) worker.removeTickListener(l);
  });
}

BOOST_AUTO_TEST_CASE(a_listener_removed_by_another_during_a_tick_is_not_called) {
  MediaWorker worker(5);
  worker.start();
  CountingTick first, second;
  std::promise<void> done;
  bool once = false;
  first.onTick = [&] {
    if (once) return;
    once = true;
    worker.removeTickListener(second);
    worker.removeTickListener(first);
    done.set_value();
  };
  worker.runAndWait([&] {
    worker.addTickListener(first);
    worker.addTickListener(second);
  });
  BOOST_TEST_REQUIRE((done.get_future().wait_for(2s) == std::future_status::ready));
  std::this_thread::sleep_for(60ms);
  worker.runAndWait([&] {
    BOOST_TEST(first.ticks == 1);
    BOOST_TEST(second.ticks == 0);
    BOOST_TEST(worker.tickListenerCount() == 0u);
  });
}

BOOST_AUTO_TEST_CASE(a_watch_cancelled_by_another_in_the_same_batch_is_not_called) {
  MediaWorker worker(6);
  worker.start();
  int a[2], b[2];
  BOOST_TEST_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, a) == 0);
  BOOST_TEST_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, b) == 0);
  FdWatch watchA, watchB;
  int calls = 0;
  // Whichever runs first cancels the other, whose readiness is in the same batch.
  worker.runAndWait([&] {
    BOOST_TEST(watchA.start(worker, a[0], [&](uint32_t) {
      ++calls;
      watchA.cancel();
      watchB.cancel();
    }));
    BOOST_TEST(watchB.start(worker, b[0], [&](uint32_t) {
      ++calls;
      watchA.cancel();
      watchB.cancel();
    }));
    // Both become readable before the worker polls again.
    BOOST_TEST(send(a[1], "x", 1, 0) == 1);
    BOOST_TEST(send(b[1], "y", 1, 0) == 1);
  });
  std::this_thread::sleep_for(50ms);
  worker.runAndWait([&] {
    BOOST_TEST(calls == 1);
    BOOST_TEST(!watchA.active());
    BOOST_TEST(!watchB.active());
  });
  for (int fd : {a[0], a[1], b[0], b[1]}) close(fd);
}

BOOST_AUTO_TEST_SUITE_END()
