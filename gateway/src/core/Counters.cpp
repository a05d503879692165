#include "core/Counters.h"

#include <map>
#include <memory>
#include <mutex>

namespace callgate::core {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<Counter>, std::less<>> counters;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

Counter& counter(std::string_view name) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.counters.find(name);
  if (it == r.counters.end()) {
    it = r.counters.emplace(std::string(name), std::make_unique<Counter>()).first;
  }
  return *it->second;
}

std::vector<std::pair<std::string, uint64_t>> counterSnapshot() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::pair<std::string, uint64_t>> out;
  out.reserve(r.counters.size());
  for (const auto& [name, c] : r.counters) out.emplace_back(name, c->value());
  return out;
}

}  // namespace callgate::core
