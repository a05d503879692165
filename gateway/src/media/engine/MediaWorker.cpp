#include "media/engine/MediaWorker.h"

#include <glib-unix.h>
#include <glib.h>

#include <future>
#include <memory>

namespace callgate::media::engine {
namespace {

gboolean runTask(gpointer data) {
  (*static_cast<std::function<void()>*>(data))();
  return G_SOURCE_REMOVE;
}

void deleteTask(gpointer data) {
  delete static_cast<std::function<void()>*>(data);
}

gboolean fdReady(gint, GIOCondition, gpointer self) {
  FdWatch::dispatchTo(self);
  return G_SOURCE_CONTINUE;
}

gboolean timerFired(gpointer self) {
  return WorkerTimer::dispatchTo(self) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

}  // namespace

MediaWorker::MediaWorker(unsigned index) : index_(index) {
  context_ = g_main_context_new();
  loop_ = g_main_loop_new(context_, FALSE);
}

MediaWorker::~MediaWorker() {
  stop();
  g_main_loop_unref(loop_);
  g_main_context_unref(context_);
}

void MediaWorker::start() {
  if (thread_.joinable()) return;
  std::promise<void> started;
  auto ready = started.get_future();
  thread_ = std::thread([this, &started] {
    threadId_ = std::this_thread::get_id();
    const std::string name = "media-" + std::to_string(index_);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    g_main_context_push_thread_default(context_);
    started.set_value();
    g_main_loop_run(loop_);
    // Tasks posted while stopping still run, so nothing they own leaks.
    while (g_main_context_iteration(context_, FALSE)) {
    }
    g_main_context_pop_thread_default(context_);
  });
  ready.wait();
}

void MediaWorker::stop() {
  if (!thread_.joinable()) return;
  g_main_loop_quit(loop_);
  g_main_context_wakeup(context_);
  thread_.join();
  threadId_ = std::thread::id();
}

void MediaWorker::post(std::function<void()> task) {
  auto* heap = new std::function<void()>(std::move(task));
  g_main_context_invoke_full(context_, G_PRIORITY_DEFAULT, runTask, heap, deleteTask);
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

void WorkerTimer::start(MediaWorker& worker, std::chrono::milliseconds delay,
                        std::function<bool()> callback) {
  cancel();
  callback_ = std::move(callback);
  source_ = g_timeout_source_new(static_cast<guint>(delay.count()));
  g_source_set_callback(source_, timerFired, this, nullptr);
  g_source_attach(source_, worker.context());
}

void WorkerTimer::cancel() {
  if (!source_) return;
  g_source_destroy(source_);
  g_source_unref(source_);
  source_ = nullptr;
}

bool WorkerTimer::dispatchTo(void* self) {
  auto* timer = static_cast<WorkerTimer*>(self);
  // The callback may cancel or restart this timer (not destroy it).
  GSource* current = timer->source_;
  g_source_ref(current);
  const bool again = timer->callback_();
  const bool sameSource = !g_source_is_destroyed(current) && timer->source_ == current;
  g_source_unref(current);
  if (again && sameSource) return true;
  if (sameSource) {
    g_source_unref(timer->source_);
    timer->source_ = nullptr;
  }
  return false;
}

void FdWatch::start(MediaWorker& worker, int fd, std::function<void()> onReadable) {
  cancel();
  onReadable_ = std::move(onReadable);
  source_ = g_unix_fd_source_new(fd, static_cast<GIOCondition>(G_IO_IN | G_IO_ERR | G_IO_HUP));
  // GLib's documented way to pass a GUnixFDSourceFunc where a GSourceFunc is typed.
  g_source_set_callback(
      source_, reinterpret_cast<GSourceFunc>(reinterpret_cast<void (*)()>(fdReady)), this, nullptr);
  g_source_attach(source_, worker.context());
}

void FdWatch::cancel() {
  if (!source_) return;
  g_source_destroy(source_);
  g_source_unref(source_);
  source_ = nullptr;
}

void FdWatch::dispatchTo(void* self) {
  static_cast<FdWatch*>(self)->onReadable_();
}

}  // namespace callgate::media::engine
