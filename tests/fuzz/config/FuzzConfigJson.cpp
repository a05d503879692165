// Fuzzes configuration import: JSON parsing, type checks, validation, and the
// export/import round trip that backups rely on.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/ConfigJson.h"
#include "config/Validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::config;
  auto parsed = fromJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) return 0;
  (void)validate(parsed.config);
  const auto exported = toJson(parsed.config);
  auto again = fromJson(exported);
  // What we export must import to the same configuration.
  if (!again.ok() || !(again.config == parsed.config) || toJson(again.config) != exported) abort();
  return 0;
}
