#pragma once
// A min-heap of one-shot timers driven by an injected Clock. Cancelling is O(1)
// (the entry is forgotten and skipped when it reaches the top).

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "core/Clock.h"

namespace callgate::core {

using TimerId = uint64_t;

class TimerQueue {
 public:
  explicit TimerQueue(const Clock& clock) : clock_(clock) {}

  TimerId schedule(Duration delay, std::function<void()> callback);
  bool cancel(TimerId id);
  // Runs every timer due at clock.now(), including ones scheduled by callbacks
  // with zero delay. Returns how many ran.
  size_t runDue();
  std::optional<Duration> timeUntilNext();
  size_t pending() const { return callbacks_.size(); }
  const Clock& clock() const { return clock_; }

 private:
  struct Entry {
    TimePoint due;
    TimerId id;
    bool operator>(const Entry& other) const {
      return due != other.due ? due > other.due : id > other.id;
    }
  };
  void dropCancelledTop();

  // passed in
  const Clock& clock_;
  // owned
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_map<TimerId, std::function<void()>> callbacks_;
  TimerId nextId_ = 1;
};

}  // namespace callgate::core
