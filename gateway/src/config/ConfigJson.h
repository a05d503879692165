#pragma once
// The JSON form of the configuration: the backup format of `callgatectl
// export`/`import` and of the management API. Export is canonical (fixed key
// order and layout), so export → import → export is byte-identical.

#include <Poco/JSON/Object.h>

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

// One settings section or collection item (SystemSettings ... Route) as a
// JSON object, for the management API. With `maskSecrets` a non-empty
// write-only field (isSecretField) reads kMaskedSecret.
template <typename T>
Poco::JSON::Object::Ptr toJsonObject(const T& value, bool maskSecrets);
// Applies the fields present in `object` onto `value`; absent fields keep
// their value (PATCH semantics; start from T{} for PUT). Unknown fields and
// wrong types are errors naming "prefix.field" ("field" with no prefix). A
// write-only field sent as kMaskedSecret keeps its value, so what was read
// can be written back unchanged.
template <typename T>
std::vector<ValidationError> applyJson(const Poco::JSON::Object::Ptr& object,
                                       const std::string& prefix, T& value);

}  // namespace callgate::config
