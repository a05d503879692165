#pragma once
// An immutable, validated configuration with lookups built once. Calls keep
// the snapshot they started with (hence shared ownership).

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "config/Config.h"

namespace callgate::config {

class ConfigSnapshot {
 public:
  static std::shared_ptr<const ConfigSnapshot> build(Config config, uint64_t revision);

  const Config& config() const { return config_; }
  uint64_t revision() const { return revision_; }
  const Peer* peer(std::string_view name) const;
  // Stable by priority, then by position in the table.
  const std::vector<const Route*>& routesByPriority() const { return routes_; }

 private:
  ConfigSnapshot() = default;
  Config config_;
  uint64_t revision_ = 0;
  std::vector<const Route*> routes_;
};

}  // namespace callgate::config
