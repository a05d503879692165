#include "callme/CallLimiter.h"

namespace callgate::callme {

std::string_view toString(LimitResult result) {
  switch (result) {
    case LimitResult::Admitted:
      return "admitted";
    case LimitResult::ButtonBusy:
      return "button concurrent-call limit";
    case LimitResult::ButtonRate:
      return "button calls-per-minute limit";
    case LimitResult::IpBusy:
      return "per-IP concurrent-call limit";
  }
  return "admitted";
}

LimitResult CallLimiter::tryAdmit(uint64_t callId, std::string_view button,
                                  std::string_view clientIp, const CallLimits& limits) {
  const auto now = clock_.now();
  auto it = buttons_.find(button);
  if (it == buttons_.end()) it = buttons_.emplace(std::string(button), ButtonState{}).first;
  ButtonState& state = it->second;
  while (!state.recentStarts.empty() && now - state.recentStarts.front() >= std::chrono::minutes(1))
    state.recentStarts.pop_front();

  const auto ip = ips_.find(clientIp);
  const uint32_t ipActive = ip == ips_.end() ? 0 : ip->second;
  if (ipActive >= limits.maxConcurrentPerIp) return LimitResult::IpBusy;
  if (state.active >= limits.maxConcurrentPerButton) return LimitResult::ButtonBusy;
  if (state.recentStarts.size() >= limits.maxPerMinutePerButton) return LimitResult::ButtonRate;

  ++state.active;
  state.recentStarts.push_back(now);
  ++ips_[std::string(clientIp)];
  calls_[callId] = Admitted{std::string(button), std::string(clientIp)};
  return LimitResult::Admitted;
}

void CallLimiter::release(uint64_t callId) {
  auto call = calls_.find(callId);
  if (call == calls_.end()) return;
  if (auto b = buttons_.find(call->second.button); b != buttons_.end() && b->second.active > 0) {
    --b->second.active;
    // Forget a button once nothing about it is left to count.
    if (b->second.active == 0 && b->second.recentStarts.empty()) buttons_.erase(b);
  }
  if (auto ip = ips_.find(call->second.ip); ip != ips_.end()) {
    if (--ip->second == 0) ips_.erase(ip);
  }
  calls_.erase(call);
}

uint32_t CallLimiter::activeForButton(std::string_view button) const {
  const auto it = buttons_.find(button);
  return it == buttons_.end() ? 0 : it->second.active;
}

uint32_t CallLimiter::activeForIp(std::string_view clientIp) const {
  const auto it = ips_.find(clientIp);
  return it == ips_.end() ? 0 : it->second;
}

}  // namespace callgate::callme
