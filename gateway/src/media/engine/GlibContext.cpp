#include "media/engine/GlibContext.h"

#include <glib.h>
#include <unistd.h>

namespace callgate::media::engine {

// GLib's G_IO_* are the poll(2) bits, which Linux gives the same values as epoll's.
constexpr bool sameBit(GIOCondition glib, EPOLL_EVENTS epoll) {
  return static_cast<uint32_t>(glib) == static_cast<uint32_t>(epoll);
}
static_assert(sameBit(G_IO_IN, EPOLLIN) && sameBit(G_IO_OUT, EPOLLOUT) &&
              sameBit(G_IO_PRI, EPOLLPRI) && sameBit(G_IO_ERR, EPOLLERR) &&
              sameBit(G_IO_HUP, EPOLLHUP));

GlibContext::GlibContext(MediaWorker& worker) : worker_(worker) {
  context_ = g_main_context_new_with_flags(G_MAIN_CONTEXT_FLAGS_OWNERLESS_POLLING);
  g_main_context_acquire(context_);
  refresh();
  // A fresh context polls nothing but its own wake-up descriptor.
  if (fds_.size() == 1) wakeupFd_ = fds_[0].fd;
}

GlibContext::~GlibContext() {
  claims_.clear();
  watches_.clear();
  retired_.clear();
  worker_.removeDeadline(*this);
  g_main_context_release(context_);
  g_main_context_unref(context_);
}

void GlibContext::onDue(int64_t) {
  dropRetired();
  iterate();
}

bool GlibContext::claim(int fd, FdWatch::Handler handler) {
  release(fd);
  claims_.push_back({fd, std::make_unique<FdWatch>()});
  watchDescriptors();  // GLib's watch of `fd` goes first: a descriptor has one watch
  auto& watch = *claims_.back().watch;
  if (watch.start(
          worker_, fd,
          [this, h = std::move(handler)](uint32_t events) {
            dropRetired();
            h(events);
          },
          EPOLLIN)) {
    return true;
  }
  claims_.pop_back();
  watchDescriptors();
  return false;
}

void GlibContext::release(int fd) {
  for (auto i = claims_.begin(); i != claims_.end(); ++i) {
    if (i->fd != fd) continue;
    // Its handler may be the one running now.
    i->watch->cancel();
    auto watch = std::move(i->watch);
    claims_.erase(i);
    watchDescriptors();
    retired_.push_back(std::move(watch));
    return;
  }
}

void GlibContext::releaseAll() {
  while (!claims_.empty()) release(claims_.back().fd);
}

bool GlibContext::claimed(int fd) const {
  for (const auto& c : claims_) {
    if (c.fd == fd) return true;
  }
  return false;
}

void GlibContext::onFdEvent(size_t index, uint32_t epollEvents) {
  dropRetired();
  // GLib may poll one descriptor for several sources: every record of it hears.
  const gint fd = fds_[index].fd;
  for (auto& record : fds_) {
    if (record.fd == fd) {
      record.revents = static_cast<gushort>(epollEvents & (record.events | G_IO_ERR | G_IO_HUP));
    }
  }
  iterate();
}

void GlibContext::iterate() {
  if (iterating_) return;  // a source's callback cannot re-enter its own context
  iterating_ = true;
  if (g_main_context_check(context_, maxPriority_, fds_.data(), static_cast<gint>(fds_.size()))) {
    g_main_context_dispatch(context_);
    // GLib blocks a source while dispatching it and signals its own wake-up
    // descriptor when unblocking it. The refresh below sees every change, so
    // clear that signal here rather than take one more wake-up and
    // iteration per packet for it.
    if (wakeupFd_ >= 0) {
      uint64_t count = 0;
      [[maybe_unused]] const auto n = read(wakeupFd_, &count, sizeof count);
    }
  }
  iterating_ = false;
  refresh();  // also clears the revents just consumed
}

void GlibContext::refresh() {
  g_main_context_prepare(context_, &maxPriority_);
  gint timeoutMs = -1;
  if (query_.size() < 4) query_.resize(4);
  gint count = 0;
  while (true) {
    count = g_main_context_query(context_, maxPriority_, &timeoutMs, query_.data(),
                                 static_cast<gint>(query_.size()));
    if (static_cast<size_t>(count) <= query_.size()) break;
    query_.resize(static_cast<size_t>(count));
  }
  const auto sameFds = [&] {
    if (static_cast<size_t>(count) != fds_.size()) return false;
    for (size_t i = 0; i < fds_.size(); ++i) {
      if (fds_[i].fd != query_[i].fd || fds_[i].events != query_[i].events) return false;
    }
    return true;
  }();
  if (!sameFds) {
    fds_.assign(query_.begin(), query_.begin() + count);
    watchDescriptors();
  }
  for (auto& record : fds_) record.revents = 0;
  worker_.setDeadline(
      *this, timeoutMs < 0 ? kNeverUs : g_get_monotonic_time() + int64_t{timeoutMs} * 1000);
}

void GlibContext::watchDescriptors() {
  // The watch whose handler got us here may be among the old ones: keep them
  // (cancelled) rather than destroying a running handler.
  for (auto& watch : watches_) {
    watch->cancel();
    retired_.push_back(std::move(watch));
  }
  watches_.clear();
  for (size_t i = 0; i < fds_.size(); ++i) {
    // One watch per descriptor, asking for everything any of its records wants.
    bool seen = false;
    uint32_t events = 0;
    for (size_t j = 0; j < fds_.size(); ++j) {
      if (fds_[j].fd != fds_[i].fd) continue;
      if (j < i) seen = true;
      events |= fds_[j].events;
    }
    if (seen || claimed(fds_[i].fd)) continue;
    auto watch = std::make_unique<FdWatch>();
    watch->start(
        worker_, fds_[i].fd, [this, i](uint32_t ready) { onFdEvent(i, ready); },
        events & (EPOLLIN | EPOLLOUT | EPOLLPRI));
    watches_.push_back(std::move(watch));
  }
}

}  // namespace callgate::media::engine
