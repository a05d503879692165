#pragma once
// A private GLib main context driven by a media worker's epoll loop instead of
// g_main_loop_run: its descriptors are watched in the worker's epoll set, its
// next timeout is a worker deadline, and it is iterated (check, dispatch,
// prepare, query) only when one of those fires. Created, used and destroyed
// on the worker thread.
//
// The context is made with G_MAIN_CONTEXT_FLAGS_OWNERLESS_POLLING so that a
// source attached (or re-timed) from outside an iteration signals the
// context's wake-up descriptor, which is in the epoll set: nothing waits for
// an unrelated event to be noticed.
//
// A descriptor can be claimed: it leaves the epoll set as GLib's and is
// watched for a handler of ours instead, so GLib never dispatches the source
// that polls it (IceAgent serving its selected pair). Releasing it gives it
// back to GLib.

#include <cstdint>
#include <memory>
#include <vector>

#include "media/engine/MediaWorker.h"

struct _GMainContext;
struct _GPollFD;

namespace callgate::media::engine {

class GlibContext final : private Deadline {
 public:
  explicit GlibContext(MediaWorker& worker);
  ~GlibContext();
  GlibContext(const GlibContext&) = delete;
  GlibContext& operator=(const GlibContext&) = delete;

  _GMainContext* get() const { return context_; }
  // Runs whatever is ready now (tests, and draining at shutdown).
  void iterate();

  // False when epoll refuses the descriptor (GLib then keeps it).
  bool claim(int fd, FdWatch::Handler handler);
  void release(int fd);
  void releaseAll();
  bool claimed(int fd) const;

 private:
  void onDue(int64_t nowUs) override;
  void onFdEvent(size_t index, uint32_t epollEvents);
  // prepare + query: learn the descriptors and timeout of the next round.
  void refresh();
  void watchDescriptors();
  // Watches no longer in use, destroyed where none of their handlers can be
  // running: at the start of the next event this context receives.
  void dropRetired() { retired_.clear(); }

  struct Claim {
    int fd;
    std::unique_ptr<FdWatch> watch;
  };

  // passed in
  MediaWorker& worker_;
  // owned
  _GMainContext* context_ = nullptr;
  int maxPriority_ = 0;
  int wakeupFd_ = -1;            // GLib's eventfd for this context
  std::vector<_GPollFD> fds_;    // from the last query; revents filled by epoll
  std::vector<_GPollFD> query_;  // scratch for the next query
  std::vector<std::unique_ptr<FdWatch>> watches_;
  std::vector<std::unique_ptr<FdWatch>> retired_;
  std::vector<Claim> claims_;
  bool iterating_ = false;
};

}  // namespace callgate::media::engine
