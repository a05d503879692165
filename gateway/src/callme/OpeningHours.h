#pragma once
// When a Call Me button takes calls, e.g. "mon-fri 09:00-18:00; sat 10:00-14:00".
//
//   hours  = "" | rule *(";" rule)           empty: always open
//   rule   = days 1*SP range *("," range)
//   days   = day ["-" day] *("," day ["-" day])   mon tue wed thu fri sat sun;
//                                                 "fri-mon" wraps over the week end
//   range  = HH:MM "-" HH:MM                 start < end, 00:00..24:00, local time
//
// Times are in the button's time zone; a range does not cross midnight (write
// "fri 22:00-24:00; sat 00:00-02:00").

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callme/TimeZone.h"

namespace callgate::callme {

class OpeningHours {
 public:
  // nullopt with `error` set ("day 'mon-frx': unknown day") when malformed.
  static std::optional<OpeningHours> parse(std::string_view text, std::string* error = nullptr);

  bool alwaysOpen() const { return always_; }
  // weekday 0 = Monday .. 6 = Sunday; minute 0..1439 of the local day.
  bool isOpenAt(int weekday, int minuteOfDay) const;
  bool isOpen(std::chrono::system_clock::time_point when, const TimeZone& zone) const;

 private:
  bool always_ = true;
  std::array<std::vector<std::pair<uint16_t, uint16_t>>, 7> ranges_{};  // [start, end) minutes
};

}  // namespace callgate::callme
