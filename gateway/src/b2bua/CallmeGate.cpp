#include "b2bua/CallmeGate.h"

#include <optional>

#include "callme/Base64.h"
#include "callme/Token.h"
#include "config/CallmeValidation.h"
#include "config/ConfigSnapshot.h"

namespace callgate::b2bua {
namespace {

CallmeDecision refuse(std::string reason, std::string detail = {}) {
  CallmeDecision d;
  d.reason = std::move(reason);
  d.detail = std::move(detail);
  return d;
}

bool originAllowed(const config::Button& button, std::string_view origin) {
  for (const auto& allowed : config::splitOrigins(button.allowed_origins)) {
    // "*" is accepted by validation only together with require_token.
    if (allowed == "*") return true;
    if (!origin.empty() && allowed == origin) return true;
  }
  return false;
}

}  // namespace

void CallmeGate::setConfig(std::shared_ptr<const config::ConfigSnapshot> snapshot) {
  snapshot_ = std::move(snapshot);
  rules_.clear();
  secret_.clear();
  if (!snapshot_) return;
  const auto& c = snapshot_->config();
  if (auto key = callme::base64Decode(c.callme.token_secret)) secret_ = std::move(*key);
  for (const auto& b : c.buttons) {
    ButtonRules rules;
    // Validated already; a failure here (a zone file removed since) leaves
    // the button always open in UTC rather than refusing every call.
    if (auto hours = callme::OpeningHours::parse(b.opening_hours)) rules.hours = std::move(*hours);
    if (auto zone = callme::TimeZone::load(b.timezone)) rules.zone = std::move(*zone);
    rules_.emplace(b.name, std::move(rules));
  }
}

CallmeDecision CallmeGate::admit(const CallmeRequest& r) {
  if (!snapshot_) return refuse("Call Me disabled", "no configuration");
  const auto& c = snapshot_->config();
  if (!c.callme.enabled) return refuse("Call Me disabled");
  const config::Button* button = nullptr;
  for (const auto& b : c.buttons) {
    if (b.name == r.buttonId) button = &b;
  }
  if (!button) return refuse("Unknown button");
  if (!button->enabled) return refuse("Button disabled");
  if (!originAllowed(*button, r.origin)) return refuse("Origin not allowed");

  const auto rules = rules_.find(button->name);
  if (rules != rules_.end() && !rules->second.hours.isOpen(r.now, rules->second.zone)) {
    return refuse(button->closed_message.empty() ? "Closed" : "Closed: " + button->closed_message);
  }

  callme::TokenContext context;
  std::optional<callme::TokenClaims> claims;
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(r.now.time_since_epoch()).count();
  if (r.token.empty()) {
    if (button->require_token) return refuse("Token required");
  } else {
    // A token presented where none is required must still be genuine: its
    // context becomes headers the call centre trusts.
    auto check = callme::verifyToken(secret_, r.token, button->name, now, c.callme.token_max_ttl_s);
    if (!check.ok()) {
      return refuse(check.error == callme::TokenError::Expired ? "Token expired" : "Token invalid",
                    std::string(callme::toString(check.error)));
    }
    claims = std::move(check.claims);
    context = claims->context;
  }

  const callme::CallLimits limits{button->max_concurrent_calls, button->max_calls_per_minute,
                                  c.callme.max_calls_per_ip};
  const auto limit = limiter_.tryAdmit(r.callId, button->name, r.clientIp, limits);
  if (limit != callme::LimitResult::Admitted) {
    return refuse("Too many calls", std::string(callme::toString(limit)));
  }
  // After the limits, so a second click while the first call is still up
  // says "Too many calls" rather than blaming the token.
  if (claims && c.callme.single_use_tokens) {
    std::erase_if(usedTokens_, [now](const auto& used) { return used.second <= now; });
    if (!usedTokens_.emplace(claims->id, claims->expiresAt).second) {
      limiter_.release(r.callId);
      return refuse("Token used", "token id seen before");
    }
  }

  CallmeDecision d;
  d.admitted = true;
  d.button = button;
  d.headers = callme::contextHeaders(button->header_prefix, context, r.pageUrl, r.pageTitle);
  d.info.button = button->name;
  d.info.origin = callme::sanitizeHeaderValue(r.origin);
  d.info.customerId = callme::sanitizeHeaderValue(context.customerId);
  d.info.orderId = callme::sanitizeHeaderValue(context.orderId);
  d.info.pageUrl = callme::sanitizeHeaderValue(r.pageUrl);
  d.info.pageTitle = callme::sanitizeHeaderValue(r.pageTitle);
  // The same entries the call centre gets as headers, no more.
  for (const auto& [key, value] : context.data) {
    if (d.info.data.size() == callme::kMaxContextDataKeys) break;
    if (!callme::isValidContextKey(key)) continue;
    auto clean = callme::sanitizeHeaderValue(value);
    if (!clean.empty()) d.info.data.emplace_back(key, std::move(clean));
  }
  return d;
}

std::string reasonHeaderValue(int cause, std::string_view text) {
  std::string out = "SIP;cause=" + std::to_string(cause) + ";text=\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');  // quoted-pair, RFC 3261 §25.1
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace callgate::b2bua
