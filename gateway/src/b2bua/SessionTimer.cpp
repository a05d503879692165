#include "b2bua/SessionTimer.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace callgate::b2bua {

std::optional<SessionExpires> parseSessionExpires(std::string_view value) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  const auto semi = value.find(';');
  const auto number = trim(value.substr(0, semi));
  SessionExpires out;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), out.seconds);
  if (ec != std::errc() || end != number.data() + number.size() || number.empty()) {
    return std::nullopt;
  }
  std::string_view params =
      semi == std::string_view::npos ? std::string_view{} : value.substr(semi + 1);
  while (!params.empty()) {
    const auto next = params.find(';');
    auto param = trim(params.substr(0, next));
    params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
    const auto eq = param.find('=');
    std::string name(trim(param.substr(0, eq)));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "refresher" && eq != std::string_view::npos) {
      std::string who(trim(param.substr(eq + 1)));
      std::transform(who.begin(), who.end(), who.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (who != "uac" && who != "uas") return std::nullopt;
      out.refresher = who;
    }
  }
  return out;
}

void SessionTimer::start(core::TimerQueue& timers, uint32_t seconds, Refresher who,
                         std::function<void()> refresh, std::function<void()> expired) {
  stop();
  timers_ = &timers;
  seconds_ = seconds;
  who_ = who;
  if (seconds == 0) return;
  if (who == Refresher::Us) {
    timerId_ = timers.schedule(std::chrono::milliseconds(seconds * 500ULL), [this, refresh] {
      timerId_ = 0;
      refresh();
    });
  } else {
    const uint32_t slack = std::min<uint32_t>(32, seconds / 3);
    timerId_ = timers.schedule(std::chrono::seconds(seconds - slack), [this, expired] {
      timerId_ = 0;
      expired();
    });
  }
}

void SessionTimer::retryIn(core::TimerQueue& timers, core::Duration delay,
                           std::function<void()> action) {
  stop();
  timers_ = &timers;
  timerId_ = timers.schedule(delay, [this, action] {
    timerId_ = 0;
    action();
  });
}

void SessionTimer::stop() {
  if (timers_ && timerId_) timers_->cancel(timerId_);
  timerId_ = 0;
}

}  // namespace callgate::b2bua
