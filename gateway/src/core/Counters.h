#pragma once
// Process-wide named counters for the control plane (wire errors, dropped
// messages). Relaxed atomics: cheap to bump from any thread, summed on read.
// Media workers keep their own per-worker counters instead.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callgate::core {

class Counter {
 public:
  void inc() { value_.fetch_add(1, std::memory_order_relaxed); }
  void add(uint64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Returns the counter with that name, creating it on first use. The reference
// stays valid for the life of the process: look it up once, keep it.
Counter& counter(std::string_view name);
std::vector<std::pair<std::string, uint64_t>> counterSnapshot();

}  // namespace callgate::core
