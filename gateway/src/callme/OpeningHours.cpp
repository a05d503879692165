#include "callme/OpeningHours.h"

namespace callgate::callme {
namespace {

constexpr size_t kMaxTextBytes = 1024;
constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

std::optional<int> day(std::string_view name) {
  for (int i = 0; i < 7; ++i) {
    if (name.size() == 3 && (name[0] | 0x20) == kDays[i][0] && (name[1] | 0x20) == kDays[i][1] &&
        (name[2] | 0x20) == kDays[i][2])
      return i;
  }
  return std::nullopt;
}

// "HH:MM", 00:00..24:00.
std::optional<uint16_t> minutes(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return static_cast<uint16_t>(h * 60 + m);
}

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

}  // namespace

std::optional<OpeningHours> OpeningHours::parse(std::string_view text, std::string* error) {
  OpeningHours hours;
  if (text.size() > kMaxTextBytes) {
    fail(error, "too long (max 1024)");
    return std::nullopt;
  }
  if (trim(text).empty()) return hours;
  hours.always_ = false;
  for (std::string_view rule : split(text, ';')) {
    rule = trim(rule);
    if (rule.empty()) {
      fail(error, "empty rule");
      return std::nullopt;
    }
    const auto space = rule.find_first_of(" \t");
    if (space == std::string_view::npos) {
      fail(error, "rule '" + std::string(rule) + "' needs days and times");
      return std::nullopt;
    }
    std::array<bool, 7> days{};
    for (std::string_view part : split(rule.substr(0, space), ',')) {
      const auto dash = part.find('-');
      const auto from = day(part.substr(0, dash));
      const auto to = dash == std::string_view::npos ? from : day(part.substr(dash + 1));
      if (!from || !to) {
        fail(error, "days '" + std::string(part) + "': use mon tue wed thu fri sat sun");
        return std::nullopt;
      }
      for (int d = *from;; d = (d + 1) % 7) {
        days[static_cast<size_t>(d)] = true;
        if (d == *to) break;
      }
    }
    for (std::string_view range : split(trim(rule.substr(space)), ',')) {
      range = trim(range);
      const auto dash = range.find('-');
      const auto start =
          dash == std::string_view::npos ? std::nullopt : minutes(range.substr(0, dash));
      const auto end =
          dash == std::string_view::npos ? std::nullopt : minutes(range.substr(dash + 1));
      if (!start || !end) {
        fail(error, "times '" + std::string(range) + "': use HH:MM-HH:MM");
        return std::nullopt;
      }
      if (*start >= *end) {
        fail(error, "times '" + std::string(range) + "': the end must be after the start");
        return std::nullopt;
      }
      for (size_t d = 0; d < 7; ++d) {
        if (days[d]) hours.ranges_[d].emplace_back(*start, *end);
      }
    }
  }
  return hours;
}

bool OpeningHours::isOpenAt(int weekday, int minuteOfDay) const {
  if (always_) return true;
  if (weekday < 0 || weekday > 6) return false;
  for (const auto& [start, end] : ranges_[static_cast<size_t>(weekday)]) {
    if (minuteOfDay >= start && minuteOfDay < end) return true;
  }
  return false;
}

bool OpeningHours::isOpen(std::chrono::system_clock::time_point when, const TimeZone& zone) const {
  if (always_) return true;
  using namespace std::chrono;
  const int64_t utc = duration_cast<seconds>(when.time_since_epoch()).count();
  const int64_t local = utc + zone.offsetAt(utc);
  const sys_days day = floor<days>(sys_seconds(seconds(local)));
  const auto weekday = static_cast<int>(std::chrono::weekday(day).iso_encoding()) - 1;
  const auto minute =
      static_cast<int>((local - duration_cast<seconds>(day.time_since_epoch()).count()) / 60);
  return isOpenAt(weekday, minute);
}

}  // namespace callgate::callme
