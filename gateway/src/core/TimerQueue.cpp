#include "core/TimerQueue.h"

namespace callgate::core {

TimerId TimerQueue::schedule(Duration delay, std::function<void()> callback) {
  if (delay < Duration::zero()) delay = Duration::zero();
  const TimerId id = nextId_++;
  heap_.push(Entry{clock_.now() + delay, id});
  callbacks_.emplace(id, std::move(callback));
  return id;
}

bool TimerQueue::cancel(TimerId id) {
  return callbacks_.erase(id) > 0;
}

void TimerQueue::dropCancelledTop() {
  while (!heap_.empty() && !callbacks_.contains(heap_.top().id)) heap_.pop();
}

size_t TimerQueue::runDue() {
  size_t ran = 0;
  const TimePoint now = clock_.now();
  for (;;) {
    dropCancelledTop();
    if (heap_.empty() || heap_.top().due > now) break;
    const TimerId id = heap_.top().id;
    heap_.pop();
    auto it = callbacks_.find(id);
    auto callback = std::move(it->second);
    callbacks_.erase(it);
    callback();
    ++ran;
  }
  return ran;
}

std::optional<Duration> TimerQueue::timeUntilNext() {
  dropCancelledTop();
  if (heap_.empty()) return std::nullopt;
  const Duration left = heap_.top().due - clock_.now();
  return left < Duration::zero() ? Duration::zero() : left;
}

}  // namespace callgate::core
