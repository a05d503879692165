#include "media/engine/MediaWorker.h"

#include <glib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <future>
#include <stdexcept>

#include "media/engine/DatagramBatch.h"
#include "media/engine/GlibContext.h"

namespace callgate::media::engine {
namespace {

// Marks the task queue's eventfd in the epoll set (no FdWatch has this address).
char wakeTag;

int64_t nowUs() {
  return g_get_monotonic_time();
}

}  // namespace

MediaWorker::MediaWorker(unsigned index)
    : index_(index), receiveBatch_(std::make_unique<DatagramBatch>()) {
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epollFd_ < 0 || wakeFd_ < 0) throw std::runtime_error("media worker: epoll/eventfd failed");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &wakeTag;
  if (epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &event) != 0) {
    throw std::runtime_error("media worker: epoll_ctl failed");
  }
}

MediaWorker::~MediaWorker() {
  stop();
  close(wakeFd_);
  close(epollFd_);
}

_GMainContext* MediaWorker::context() const {
  return shared_ ? shared_->get() : nullptr;
}

void MediaWorker::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  std::promise<void> started;
  auto ready = started.get_future();
  thread_ = std::thread([this, &started] {
    threadId_ = std::this_thread::get_id();
    const std::string name = "media-" + std::to_string(index_);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    shared_ = std::make_unique<GlibContext>(*this);
    g_main_context_push_thread_default(shared_->get());
    started.set_value();
    run();
    // Tasks posted while stopping still run, so nothing they own leaks.
    runPosted();
    shared_->iterate();
    g_main_context_pop_thread_default(shared_->get());
    shared_.reset();
  });
  ready.wait();
}

void MediaWorker::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  const uint64_t one = 1;
  [[maybe_unused]] const auto n = write(wakeFd_, &one, sizeof one);
  thread_.join();
  threadId_ = std::thread::id();
}

void MediaWorker::post(std::function<void()> task) {
  {
    std::lock_guard lock(postedMutex_);
    posted_.push_back(std::move(task));
  }
  const uint64_t one = 1;
  [[maybe_unused]] const auto n = write(wakeFd_, &one, sizeof one);
}

void MediaWorker::runAndWait(std::function<void()> task) {
  std::promise<void> done;
  auto finished = done.get_future();
  post([&] {
    task();
    done.set_value();
  });
  finished.wait();
}

void MediaWorker::run() {
  while (!stopping_) {
    readyCount_ =
        epoll_wait(epollFd_, ready_.data(), static_cast<int>(ready_.size()), waitMs(nowUs()));
    for (int i = 0; i < readyCount_; ++i) {
      const auto& event = ready_[static_cast<size_t>(i)];
      if (event.data.ptr == &wakeTag) {
        runPosted();
      } else if (auto* watch = static_cast<FdWatch*>(event.data.ptr)) {
        watch->dispatch(event.events);
      }
    }
    readyCount_ = 0;
    const int64_t now = nowUs();
    if (now >= nextTickUs_) runTick(now);
    if (now >= earliestDueUs_) runDeadlines(now);
  }
}

int MediaWorker::waitMs(int64_t now) const {
  const int64_t next = std::min(nextTickUs_, earliestDueUs_);
  if (next == kNeverUs) return -1;
  if (next <= now) return 0;
  // Rounded up: waking a little late is fine, spinning until the moment is not.
  return static_cast<int>(std::min<int64_t>((next - now + 999) / 1000, 60000));
}

void MediaWorker::runPosted() {
  uint64_t count = 0;
  [[maybe_unused]] const auto n = read(wakeFd_, &count, sizeof count);
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(postedMutex_);
    tasks.swap(posted_);
  }
  for (auto& task : tasks) task();
}

namespace {
constexpr int64_t kPhasePeriodUs = kWorkerTick.count() * 1000 / static_cast<int64_t>(kTickPhases);
}  // namespace

void MediaWorker::addTickListener(TickListener& listener) {
  size_t phase = 0;
  for (size_t i = 1; i < kTickPhases; ++i) {
    if (tickPhases_[i].size() < tickPhases_[phase].size()) phase = i;
  }
  listener.tickPhase_ = phase;
  tickPhases_[phase].add(listener);
  if (nextTickUs_ == kNeverUs) nextTickUs_ = nowUs() + kPhasePeriodUs;
}

void MediaWorker::removeTickListener(TickListener& listener) {
  tickPhases_[listener.tickPhase_].remove(listener);
}

size_t MediaWorker::tickListenerCount() const {
  size_t count = 0;
  for (const auto& phase : tickPhases_) count += phase.size();
  return count;
}

void MediaWorker::runTick(int64_t now) {
  tickPhases_[nextPhase_].forEach([now](TickListener& listener) { listener.onWorkerTick(now); });
  nextPhase_ = (nextPhase_ + 1) % kTickPhases;
  if (tickListenerCount() == 0) {
    nextTickUs_ = kNeverUs;  // idle workers do not wake up every few milliseconds
    return;
  }
  nextTickUs_ += kPhasePeriodUs;
  // Behind by more than a phase (an overloaded or descheduled worker): skip, do not burst.
  if (nextTickUs_ <= now) nextTickUs_ = now + kPhasePeriodUs;
}

void MediaWorker::setDeadline(Deadline& deadline, int64_t dueUs) {
  if (!deadline.registered_) {
    deadlines_.add(deadline);
    deadline.registered_ = true;
  }
  deadline.dueUs_ = dueUs;
  earliestDueUs_ = std::min(earliestDueUs_, dueUs);
}

void MediaWorker::removeDeadline(Deadline& deadline) {
  if (!deadline.registered_) return;
  deadlines_.remove(deadline);
  deadline.registered_ = false;
  deadline.dueUs_ = kNeverUs;
}

void MediaWorker::runDeadlines(int64_t now) {
  // Recomputed by the walk; setDeadline during the walk lowers it as needed.
  earliestDueUs_ = kNeverUs;
  deadlines_.forEach([&](Deadline& deadline) {
    if (deadline.dueUs_ <= now) {
      deadline.dueUs_ = kNeverUs;
      deadline.onDue(now);
    }
    earliestDueUs_ = std::min(earliestDueUs_, deadline.dueUs_);
  });
}

bool MediaWorker::watchFd(int fd, uint32_t epollEvents, FdWatch& watch) {
  if (fd < 0) return false;
  epoll_event event{};
  event.events = epollEvents;
  event.data.ptr = &watch;
  // EEXIST: still registered under a watch that never saw its descriptor
  // closed (a dup keeps the file open): take it over.
  if (epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event) != 0 &&
      !(errno == EEXIST && epoll_ctl(epollFd_, EPOLL_CTL_MOD, fd, &event) == 0)) {
    return false;
  }
  const auto index = static_cast<size_t>(fd);
  if (index >= fdOwners_.size()) fdOwners_.resize(index + 64, nullptr);
  fdOwners_[index] = &watch;
  return true;
}

void MediaWorker::unwatchFd(int fd, FdWatch& watch) {
  // The kernel forgets a closed descriptor by itself, and its number may
  // already belong to a newer watch: only this watch's own registration goes.
  const auto index = static_cast<size_t>(fd);
  if (fd >= 0 && index < fdOwners_.size() && fdOwners_[index] == &watch) {
    epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);
    fdOwners_[index] = nullptr;
  }
  // The watch may still sit later in the batch being dispatched.
  for (int i = 0; i < readyCount_; ++i) {
    if (ready_[static_cast<size_t>(i)].data.ptr == &watch) {
      ready_[static_cast<size_t>(i)].data.ptr = nullptr;
    }
  }
}

void WorkerTimer::start(MediaWorker& worker, std::chrono::milliseconds delay,
                        std::function<bool()> callback) {
  cancel();
  worker_ = &worker;
  ++generation_;
  periodUs_ = std::chrono::duration_cast<std::chrono::microseconds>(delay).count();
  callback_ = std::move(callback);
  worker.setDeadline(*this, nowUs() + periodUs_);
}

void WorkerTimer::cancel() {
  if (!worker_) return;
  ++generation_;
  worker_->removeDeadline(*this);
  worker_ = nullptr;
}

void WorkerTimer::onDue(int64_t now) {
  const uint64_t generation = generation_;
  const bool again = callback_();
  if (generation != generation_) return;  // cancelled or restarted by the callback
  if (again) {
    worker_->setDeadline(*this, now + periodUs_);
  } else {
    cancel();
  }
}

bool FdWatch::start(MediaWorker& worker, int fd, Handler handler, uint32_t epollEvents) {
  cancel();
  handler_ = std::move(handler);
  if (!worker.watchFd(fd, epollEvents, *this)) return false;
  worker_ = &worker;
  fd_ = fd;
  return true;
}

void FdWatch::cancel() {
  if (!worker_) return;
  worker_->unwatchFd(fd_, *this);
  worker_ = nullptr;
  fd_ = -1;
}

}  // namespace callgate::media::engine
