#include "http/RequestDeadlines.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>

namespace callgate::mgmt::http {
namespace {

// Never 0: a zero SO_RCVTIMEO means "wait forever" (socket(7)).
constexpr core::Duration kShortest = std::chrono::milliseconds(1);

void setReceiveTimeout(int fd, core::Duration left) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::max(left, kShortest)).count();
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(us / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(us % 1000000);
  // A failure (the peer is gone, the socket was shut down) leaves nothing
  // to enforce.
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

RequestDeadlines::RequestDeadlines(core::Duration tick, core::Duration grace)
    : tick_(tick), grace_(grace), thread_([this] { run(); }) {}

RequestDeadlines::~RequestDeadlines() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::unique_ptr<RequestDeadlines::Watch> RequestDeadlines::watch(int fd) {
  const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) return nullptr;
  std::unique_ptr<Watch> w(new Watch(*this, own));
  std::lock_guard lock(mutex_);
  watches_.insert(w.get());
  if (aborting_) {
    ::shutdown(own, SHUT_RDWR);
    w->shut_ = true;
  }
  return w;
}

RequestDeadlines::Watch::~Watch() {
  {
    std::lock_guard lock(owner_.mutex_);
    owner_.watches_.erase(this);
  }
  ::close(fd_);
}

void RequestDeadlines::Watch::arm(core::Duration budget) {
  std::lock_guard lock(owner_.mutex_);
  armed_ = true;
  deadline_ = core::SteadyClock::now() + budget;
  if (!shut_) setReceiveTimeout(fd_, budget);
}

void RequestDeadlines::Watch::disarm() {
  std::lock_guard lock(owner_.mutex_);
  armed_ = false;
}

bool RequestDeadlines::Watch::expired() const {
  std::lock_guard lock(owner_.mutex_);
  return armed_ && core::SteadyClock::now() >= deadline_;
}

void RequestDeadlines::abortAll() {
  std::lock_guard lock(mutex_);
  aborting_ = true;
  for (Watch* w : watches_) {
    ::shutdown(w->fd_, SHUT_RDWR);
    w->shut_ = true;
  }
}

size_t RequestDeadlines::watched() const {
  std::lock_guard lock(mutex_);
  return watches_.size();
}

void RequestDeadlines::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, tick_, [this] { return stopping_; });
    const auto now = core::SteadyClock::now();
    for (Watch* w : watches_) enforce(*w, now);
  }
}

void RequestDeadlines::enforce(Watch& w, core::TimePoint now) {
  if (!w.armed_ || w.shut_) return;
  if (now < w.deadline_ + grace_) {
    // Past the deadline this is the shortest timeout: the next recv() that
    // finds nothing waiting fails at once.
    setReceiveTimeout(w.fd_, w.deadline_ - now);
    return;
  }
  ::shutdown(w.fd_, SHUT_RD);
  w.shut_ = true;
}

}  // namespace callgate::mgmt::http
