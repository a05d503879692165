#include "core/Log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace callgate::core::log {
namespace {

std::atomic<Level> g_level{Level::Info};
std::atomic<bool> g_hasTagLevels{false};
std::shared_mutex g_tagMutex;
std::map<std::string, Level, std::less<>> g_tagLevels;
std::atomic<Sink> g_sink{nullptr};

void writeStderr(Level level, std::string_view tag, std::string_view text) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto secs = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  const auto name = levelName(level);
  std::fprintf(stderr, "%s %.*s [%.*s] %.*s\n", stamp, static_cast<int>(name.size()), name.data(),
               static_cast<int>(tag.size()), tag.data(), static_cast<int>(text.size()),
               text.data());
}

}  // namespace

std::string_view levelName(Level level) {
  switch (level) {
    case Level::Trace:
      return "TRACE";
    case Level::Debug:
      return "DEBUG";
    case Level::Info:
      return "INFO";
    case Level::Warn:
      return "WARN";
    case Level::Error:
      return "ERROR";
    case Level::Off:
      return "OFF";
  }
  return "?";
}

bool parseLevel(std::string_view name, Level& out) {
  static constexpr std::pair<std::string_view, Level> kNames[] = {
      {"trace", Level::Trace}, {"debug", Level::Debug}, {"info", Level::Info},
      {"warn", Level::Warn},   {"error", Level::Error}, {"off", Level::Off}};
  for (const auto& [n, l] : kNames) {
    if (n == name) {
      out = l;
      return true;
    }
  }
  return false;
}

void setLevel(Level level) {
  g_level = level;
}

void setTagLevel(std::string_view tag, Level level) {
  std::unique_lock lock(g_tagMutex);
  g_tagLevels[std::string(tag)] = level;
  g_hasTagLevels = true;
}

bool enabled(Level level, std::string_view tag) {
  if (g_hasTagLevels.load(std::memory_order_relaxed)) {
    std::shared_lock lock(g_tagMutex);
    // The longest configured prefix of the tag wins: "sip" covers "sip.txn".
    for (std::string_view t = tag;;) {
      if (auto it = g_tagLevels.find(t); it != g_tagLevels.end()) return level >= it->second;
      const auto dot = t.rfind('.');
      if (dot == std::string_view::npos) break;
      t = t.substr(0, dot);
    }
  }
  return level >= g_level.load(std::memory_order_relaxed);
}

void setSink(Sink sink) {
  g_sink = sink;
}

bool RateLimit::allow() {
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  if (now - windowStart_ >= static_cast<int64_t>(period_)) {
    windowStart_ = now;
    used_ = 0;
  }
  if (used_ < burst_) {
    ++used_;
    return true;
  }
  ++suppressed_;
  return false;
}

Line::~Line() {
  const std::string text = out_.str();
  Sink sink = g_sink.load();
  (sink ? sink : writeStderr)(level_, tag_, text);
}

}  // namespace callgate::core::log
