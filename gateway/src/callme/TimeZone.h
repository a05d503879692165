#pragma once
// UTC offsets of a named time zone from the system's tz database
// (/usr/share/zoneinfo, TZif files, RFC 8536). libstdc++ 12 has no
// std::chrono::tzdb (zoned_time), so this small reader stands in for it.
// Beyond the file's last transition the last offset stays in force; Debian
// ships "fat" files whose transitions run to 2037.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::callme {

class TimeZone {
 public:
  static TimeZone utc();
  // Parses a TZif file (versions 1 to 4; the 64-bit block when present).
  // nullopt for anything malformed or over the bounds; never throws.
  static std::optional<TimeZone> fromTzif(std::string_view bytes, std::string name = {});
  // "Europe/Berlin" from `root`. "UTC" (and "" ) need no file. Names with
  // ".." or characters outside [A-Za-z0-9_+-/] are refused.
  static std::optional<TimeZone> load(std::string_view name,
                                      std::string_view root = "/usr/share/zoneinfo");

  // Seconds east of UTC at `unixSeconds`.
  int32_t offsetAt(int64_t unixSeconds) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::vector<int64_t> transitions_;  // ascending
  std::vector<uint8_t> transitionTypes_;
  std::vector<int32_t> offsets_;  // by type; at least one
};

}  // namespace callgate::callme
