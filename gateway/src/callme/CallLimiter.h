#pragma once
// Admission limits for Call Me calls: per button, concurrent calls and calls
// started in the last minute; per client IP, concurrent calls over all
// buttons. A call that is admitted counts until release() (its end). Memory
// is bounded by the calls in progress plus, per button, the calls of the
// last minute (at most its per-minute limit).

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>

#include "core/Clock.h"

namespace callgate::callme {

struct CallLimits {
  uint32_t maxConcurrentPerButton = 10;
  uint32_t maxPerMinutePerButton = 30;
  uint32_t maxConcurrentPerIp = 2;
};

enum class LimitResult { Admitted, ButtonBusy, ButtonRate, IpBusy };
std::string_view toString(LimitResult result);

class CallLimiter {
 public:
  explicit CallLimiter(const core::Clock& clock) : clock_(clock) {}

  // Admits and counts the call `callId`, or says which limit refuses it.
  LimitResult tryAdmit(uint64_t callId, std::string_view button, std::string_view clientIp,
                       const CallLimits& limits);
  // The call ended; unknown ids are ignored, so every call may be released.
  void release(uint64_t callId);

  uint32_t activeForButton(std::string_view button) const;
  uint32_t activeForIp(std::string_view clientIp) const;
  size_t activeCalls() const { return calls_.size(); }

 private:
  struct ButtonState {
    uint32_t active = 0;
    std::deque<core::TimePoint> recentStarts;  // admissions in the last minute
  };
  struct Admitted {
    std::string button;
    std::string ip;
  };

  // passed in
  const core::Clock& clock_;
  // owned
  std::map<std::string, ButtonState, std::less<>> buttons_;
  std::map<std::string, uint32_t, std::less<>> ips_;
  std::map<uint64_t, Admitted> calls_;
};

}  // namespace callgate::callme
