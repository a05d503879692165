#pragma once
// One media thread: an epoll loop that owns the sockets, timers and ICE
// agents of the calls pinned to it. Other threads only post tasks to it;
// everything else runs on the worker's own thread.
//
// libnice needs GLib main contexts, and GLib walks every source of a context
// (and polls every descriptor) on each wake-up, so one context shared by all
// calls costs O(calls) per packet. Instead each WebRTC leg gets a private
// context (GlibContext) whose few descriptors sit in the worker's epoll set
// and whose next timeout is one of the worker's deadlines: a wake-up costs
// only what is ready. Our own sockets are watched directly (FdWatch), and
// every session's 20 ms work runs from a worker-wide tick (TickListener) in
// kTickPhases groups spread over the 20 ms, so the transcoding work of all
// calls does not come in one burst that every packet waits behind.

#include <sys/epoll.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "media/engine/IterationSafeList.h"

struct _GMainContext;

namespace callgate::media::engine {

class DatagramBatch;
class FdWatch;
class GlibContext;

inline constexpr auto kWorkerTick = std::chrono::milliseconds(20);
inline constexpr size_t kTickPhases = 4;  // one group of listeners every 5 ms
inline constexpr int64_t kNeverUs = INT64_MAX;

// Called every kWorkerTick on the worker thread while registered.
class TickListener {
 public:
  virtual void onWorkerTick(int64_t nowUs) = 0;

 protected:
  virtual ~TickListener() = default;

 private:
  friend class MediaWorker;
  size_t tickPhase_ = 0;
};

// Something the worker calls at a monotonic time (a timer, a GLib context's
// next timeout). Set the time with MediaWorker::setDeadline.
class Deadline {
 public:
  virtual void onDue(int64_t nowUs) = 0;
  int64_t dueUs() const { return dueUs_; }

 protected:
  virtual ~Deadline() = default;

 private:
  friend class MediaWorker;
  int64_t dueUs_ = kNeverUs;
  bool registered_ = false;
};

class MediaWorker {
 public:
  explicit MediaWorker(unsigned index);
  ~MediaWorker();  // stops the thread and joins it
  MediaWorker(const MediaWorker&) = delete;
  MediaWorker& operator=(const MediaWorker&) = delete;

  void start();
  void stop();

  // Thread-safe: runs `task` on the worker thread (control plane only: it
  // allocates).
  void post(std::function<void()> task);
  // Runs `task` on the worker and waits for it; not from the worker itself.
  void runAndWait(std::function<void()> task);

  bool onWorkerThread() const { return std::this_thread::get_id() == threadId_.load(); }
  unsigned index() const { return index_; }
  // The worker's shared GLib context (the thread default on the worker), for
  // whatever does not need one of its own. Valid while the worker runs.
  _GMainContext* context() const;

  // Everything below: worker thread only.
  // A listener removed during a tick is not called again; one added during a
  // tick first runs on the next. A new listener joins the phase with the
  // fewest listeners.
  void addTickListener(TickListener& listener);
  void removeTickListener(TickListener& listener);
  size_t tickListenerCount() const;

  // kNeverUs = not due. A deadline is registered by its first setDeadline
  // and forgotten by removeDeadline (which its owner must call before dying).
  void setDeadline(Deadline& deadline, int64_t dueUs);
  void removeDeadline(Deadline& deadline);

  bool watchFd(int fd, uint32_t epollEvents, FdWatch& watch);
  // Receive buffers every socket handler on this worker reads into.
  DatagramBatch& receiveBatch() { return *receiveBatch_; }
  void unwatchFd(int fd, FdWatch& watch);

 private:
  void run();
  void runPosted();
  void runTick(int64_t now);
  void runDeadlines(int64_t now);
  int waitMs(int64_t now) const;

  // owned
  const unsigned index_;
  std::thread thread_;
  std::atomic<std::thread::id> threadId_{};
  std::atomic<bool> stopping_{false};
  int epollFd_ = -1;
  int wakeFd_ = -1;
  std::mutex postedMutex_;
  std::vector<std::function<void()>> posted_;
  // The batch being dispatched: a watch cancelled meanwhile is cleared from it.
  std::array<epoll_event, 64> ready_{};
  int readyCount_ = 0;
  std::vector<FdWatch*> fdOwners_;  // by descriptor number: whose registration it is
  std::array<IterationSafeList<TickListener>, kTickPhases> tickPhases_;
  size_t nextPhase_ = 0;
  int64_t nextTickUs_ = kNeverUs;  // when phase nextPhase_ runs
  IterationSafeList<Deadline> deadlines_;
  int64_t earliestDueUs_ = kNeverUs;  // never later than the earliest deadline
  std::unique_ptr<GlibContext> shared_;
  std::unique_ptr<DatagramBatch> receiveBatch_;
};

// A repeating or one-shot timer on a worker. Destroying it cancels it.
// Worker thread only.
class WorkerTimer final : private Deadline {
 public:
  WorkerTimer() = default;
  ~WorkerTimer() { cancel(); }
  WorkerTimer(const WorkerTimer&) = delete;
  WorkerTimer& operator=(const WorkerTimer&) = delete;

  // Calls `callback` after `delay`, then again every `delay` while it returns
  // true. The callback may cancel or restart the timer but not destroy it.
  void start(MediaWorker& worker, std::chrono::milliseconds delay, std::function<bool()> callback);
  void cancel();
  bool active() const { return worker_ != nullptr; }

 private:
  void onDue(int64_t nowUs) override;

  MediaWorker* worker_ = nullptr;
  int64_t periodUs_ = 0;
  uint64_t generation_ = 0;  // bumped by start/cancel, so onDue sees a restart
  std::function<bool()> callback_;
};

// Watches a file descriptor in its worker's epoll set (level triggered: data
// left unread is reported again). Worker thread only.
class FdWatch {
 public:
  using Handler = std::function<void(uint32_t epollEvents)>;
  FdWatch() = default;
  ~FdWatch() { cancel(); }
  FdWatch(const FdWatch&) = delete;
  FdWatch& operator=(const FdWatch&) = delete;

  // False (and nothing watched) when epoll refuses the descriptor. Errors and
  // hang-ups are always reported.
  bool start(MediaWorker& worker, int fd, Handler handler, uint32_t epollEvents = EPOLLIN);
  void cancel();
  bool active() const { return worker_ != nullptr; }
  void dispatch(uint32_t epollEvents) { handler_(epollEvents); }

 private:
  MediaWorker* worker_ = nullptr;
  int fd_ = -1;
  Handler handler_;
};

}  // namespace callgate::media::engine
