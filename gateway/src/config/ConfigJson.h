#pragma once
// The JSON form of the configuration: the backup format of `callgatectl
// export`/`import` and of the management API. Export is canonical (fixed key
// order and layout), so export → import → export is byte-identical.

#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"
#include "config/Validation.h"

namespace callgate::config {

constexpr int kJsonFormatVersion = 1;
constexpr size_t kMaxJsonBytes = 16 * 1024 * 1024;

std::string toJson(const Config& config);

struct ConfigParseResult {
  Config config;
  std::vector<ValidationError> errors;  // empty: `config` holds the document
  bool ok() const { return errors.empty(); }
};

// Parses and type-checks (unknown fields and wrong types are errors naming the
// field); missing fields keep their defaults. Does not run validate().
ConfigParseResult fromJson(std::string_view text);

}  // namespace callgate::config
