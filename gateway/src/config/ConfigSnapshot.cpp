#include "config/ConfigSnapshot.h"

#include <algorithm>

namespace callgate::config {

std::shared_ptr<const ConfigSnapshot> ConfigSnapshot::build(Config config, uint64_t revision) {
  std::shared_ptr<ConfigSnapshot> s(new ConfigSnapshot());
  s->config_ = std::move(config);
  s->revision_ = revision;
  for (const auto& r : s->config_.routes) s->routes_.push_back(&r);
  std::stable_sort(s->routes_.begin(), s->routes_.end(),
                   [](const Route* a, const Route* b) { return a->priority < b->priority; });
  return s;
}

const Peer* ConfigSnapshot::peer(std::string_view name) const {
  for (const auto& p : config_.peers) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace callgate::config
