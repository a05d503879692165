#pragma once
// Time sources. Everything that schedules takes a Clock so tests can drive time.

#include <chrono>

namespace callgate::core {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using Duration = SteadyClock::duration;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return SteadyClock::now(); }
  static const SystemClock& instance();
};

// Starts at an arbitrary fixed point and moves only when told to.
class FakeClock final : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(Duration d) { now_ += d; }

 private:
  TimePoint now_{std::chrono::hours(1)};
};

}  // namespace callgate::core
