#include "core/EventLoop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace callgate::core {
namespace {

uint32_t toEpoll(uint32_t events) {
  uint32_t e = 0;
  if (events & kReadable) e |= EPOLLIN | EPOLLRDHUP;
  if (events & kWritable) e |= EPOLLOUT;
  return e;
}

uint32_t fromEpoll(uint32_t e) {
  uint32_t events = 0;
  if (e & EPOLLIN) events |= kReadable;
  if (e & EPOLLOUT) events |= kWritable;
  if (e & (EPOLLHUP | EPOLLRDHUP)) events |= kHangup;
  if (e & EPOLLERR) events |= kError;
  return events;
}

[[noreturn]] void throwErrno(const char* what) {
  throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

EventLoop::EventLoop(const Clock& clock) : clock_(clock), timers_(clock) {
  epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epollFd_ < 0) throwErrno("epoll_create1");
  wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakeFd_ < 0) throwErrno("eventfd");
  addFd(wakeFd_, kReadable, [this](uint32_t) {
    uint64_t value = 0;
    while (::read(wakeFd_, &value, sizeof value) > 0) {
    }
    drainPosted();
  });
}

EventLoop::~EventLoop() {
  if (wakeFd_ >= 0) ::close(wakeFd_);
  if (epollFd_ >= 0) ::close(epollFd_);
}

void EventLoop::addFd(int fd, uint32_t events, IoHandler handler) {
  epoll_event ev{};
  ev.events = toEpoll(events);
  ev.data.fd = fd;
  if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev) != 0) throwErrno("epoll_ctl(ADD)");
  handlers_[fd] = std::make_shared<IoHandler>(std::move(handler));
}

void EventLoop::modifyFd(int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = toEpoll(events);
  ev.data.fd = fd;
  if (::epoll_ctl(epollFd_, EPOLL_CTL_MOD, fd, &ev) != 0) throwErrno("epoll_ctl(MOD)");
}

void EventLoop::removeFd(int fd) {
  if (handlers_.erase(fd) == 0) return;
  ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::post(std::function<void()> task) {
  {
    std::lock_guard lock(postedMutex_);
    posted_.push_back(std::move(task));
  }
  const uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wakeFd_, &one, sizeof one);
}

void EventLoop::drainPosted() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(postedMutex_);
    tasks.swap(posted_);
  }
  for (auto& task : tasks) task();
}

void EventLoop::stop() {
  stopRequested_ = true;
  post([] {});
}

void EventLoop::runOnce(Duration maxWait) {
  timers_.runDue();
  Duration wait = maxWait;
  if (auto next = timers_.timeUntilNext(); next && *next < wait) wait = *next;
  // Round up so a timer 0.4 ms away does not spin the loop at 0 ms.
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  if (ms < 0) ms = 0;
  constexpr int kMaxEvents = 64;
  epoll_event events[kMaxEvents];
  const int n = ::epoll_wait(epollFd_, events, kMaxEvents, static_cast<int>(ms));
  if (n < 0 && errno != EINTR) throwErrno("epoll_wait");
  for (int i = 0; i < n; ++i) {
    auto it = handlers_.find(events[i].data.fd);
    if (it == handlers_.end()) continue;
    auto handler = it->second;  // keeps the handler alive if it removes itself
    (*handler)(fromEpoll(events[i].events));
  }
  timers_.runDue();
}

void EventLoop::run() {
  while (!stopRequested_) runOnce(std::chrono::seconds(1));
  stopRequested_ = false;
}

void EventLoop::runFor(Duration limit) {
  const TimePoint end = SteadyClock::now() + limit;
  while (!stopRequested_) {
    const TimePoint now = SteadyClock::now();
    if (now >= end) break;
    runOnce(end - now);
  }
  stopRequested_ = false;
}

}  // namespace callgate::core
