#pragma once
// One thread's epoll loop: file descriptors, timers and tasks posted from other
// threads. Not thread-safe except post() and stop().

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/Clock.h"
#include "core/TimerQueue.h"

namespace callgate::core {

enum IoEvents : uint32_t { kReadable = 1, kWritable = 2, kHangup = 4, kError = 8 };
using IoHandler = std::function<void(uint32_t events)>;

class EventLoop {
 public:
  explicit EventLoop(const Clock& clock = SystemClock::instance());
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // kHangup and kError are always reported; ask for kReadable/kWritable.
  void addFd(int fd, uint32_t events, IoHandler handler);
  void modifyFd(int fd, uint32_t events);
  // Safe to call from inside the fd's own handler.
  void removeFd(int fd);

  TimerId runAfter(Duration delay, std::function<void()> callback) {
    return timers_.schedule(delay, std::move(callback));
  }
  bool cancelTimer(TimerId id) { return timers_.cancel(id); }

  // Thread-safe: queues a task for the loop thread and wakes it.
  void post(std::function<void()> task);
  // Runs until stop(). stop() is thread-safe.
  void run();
  void stop();
  // Runs for at most `limit` of wall time, or until stop(); for tests.
  void runFor(Duration limit);
  // One poll round waiting at most `maxWait`.
  void runOnce(Duration maxWait);

  const Clock& clock() const { return clock_; }
  TimerQueue& timers() { return timers_; }

 private:
  void drainPosted();

  // passed in
  const Clock& clock_;
  // owned
  int epollFd_ = -1;
  int wakeFd_ = -1;
  TimerQueue timers_;
  // Handlers are held by shared_ptr so one removed during dispatch outlives its call.
  std::unordered_map<int, std::shared_ptr<IoHandler>> handlers_;
  std::mutex postedMutex_;
  std::vector<std::function<void()>> posted_;
  std::atomic<bool> stopRequested_{false};
};

}  // namespace callgate::core
