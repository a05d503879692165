#pragma once
// RFC 4028 session timer of one leg: the negotiated interval, who refreshes,
// and the timer that either sends our refresh or ends a call nobody refreshed.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/TimerQueue.h"

namespace callgate::b2bua {

enum class Refresher : uint8_t { Us, Them };

struct SessionExpires {
  uint32_t seconds = 0;
  std::optional<std::string> refresher;  // "uac" | "uas" when given
};

// Parses "1800;refresher=uac"; nullopt when malformed.
std::optional<SessionExpires> parseSessionExpires(std::string_view value);

class SessionTimer {
 public:
  SessionTimer() = default;
  ~SessionTimer() { stop(); }
  SessionTimer(const SessionTimer&) = delete;
  SessionTimer& operator=(const SessionTimer&) = delete;

  // Arms (or re-arms after a refresh) the timer. With Refresher::Us the
  // callback `refresh` runs at half the interval; with Them, `expired` runs
  // when the interval passes without a refresh, less min(32 s, interval/3)
  // (§10: the slack a refresher needs).
  void start(core::TimerQueue& timers, uint32_t seconds, Refresher who,
             std::function<void()> refresh, std::function<void()> expired);
  // Runs `action` once after `delay`, keeping the negotiated interval and role
  // (a refresh that met 491 Request Pending, or had to wait for an exchange).
  void retryIn(core::TimerQueue& timers, core::Duration delay, std::function<void()> action);
  void stop();
  bool active() const { return timerId_ != 0; }
  uint32_t interval() const { return seconds_; }
  Refresher refresher() const { return who_; }

 private:
  core::TimerQueue* timers_ = nullptr;  // passed in at start()
  core::TimerId timerId_ = 0;
  uint32_t seconds_ = 0;
  Refresher who_ = Refresher::Us;
};

}  // namespace callgate::b2bua
