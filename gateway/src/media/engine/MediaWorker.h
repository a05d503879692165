#pragma once
// One media thread: a GLib main context (libnice needs one) that owns the
// ICE agents, sockets and timers of the calls pinned to it. Other threads
// only post tasks to it; everything else runs on the worker's own thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

struct _GMainContext;
struct _GMainLoop;
struct _GSource;

namespace callgate::media::engine {

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
  _GMainContext* context() const { return context_; }

 private:
  // owned
  const unsigned index_;
  _GMainContext* context_ = nullptr;
  _GMainLoop* loop_ = nullptr;
  std::thread thread_;
  std::atomic<std::thread::id> threadId_{};
};

// A repeating or one-shot timer on a worker's context. Destroying it
// cancels it. Worker thread only.
class WorkerTimer {
 public:
  WorkerTimer() = default;
  ~WorkerTimer() { cancel(); }
  WorkerTimer(const WorkerTimer&) = delete;
  WorkerTimer& operator=(const WorkerTimer&) = delete;

  // Calls `callback` after `delay`, then again every `delay` while it returns
  // true. The callback may cancel or restart the timer but not destroy it.
  void start(MediaWorker& worker, std::chrono::milliseconds delay, std::function<bool()> callback);
  void cancel();
  bool active() const { return source_ != nullptr; }
  static bool dispatchTo(void* self);  // from the GLib callback

 private:
  _GSource* source_ = nullptr;
  std::function<bool()> callback_;
};

// Watches a file descriptor for input on a worker's context. Worker thread only.
class FdWatch {
 public:
  FdWatch() = default;
  ~FdWatch() { cancel(); }
  FdWatch(const FdWatch&) = delete;
  FdWatch& operator=(const FdWatch&) = delete;

  void start(MediaWorker& worker, int fd, std::function<void()> onReadable);
  void cancel();
  static void dispatchTo(void* self);  // from the GLib callback

 private:
  _GSource* source_ = nullptr;
  std::function<void()> onReadable_;
};

}  // namespace callgate::media::engine
