#include "notify/CallEventRouter.h"

#include "core/Log.h"
#include "http/Json.h"

namespace callgate::mgmt::notify {

std::string describeCallEvent(const Poco::JSON::Object& e) {
  const std::string type = e.optValue<std::string>("type", "");
  std::string out = "call " + e.optValue<std::string>("call_id", "?") + " " +
                    (type.starts_with("call.") ? type.substr(5) : type) + ": " +
                    e.optValue<std::string>("from", "") + " -> " +
                    e.optValue<std::string>("route", "");
  if (const auto callme = e.getObject("callme")) {
    out += " (button " + callme->optValue<std::string>("button", "") + ")";
  }
  const std::string reason = e.optValue<std::string>("reason", "");
  if (!reason.empty()) out += ": " + reason;
  return out;
}

void CallEventRouter::onEvent(const Poco::JSON::Object::Ptr& event) {
  log_.record(event->optValue<std::string>("type", "call"), "",
              event->optValue<std::string>("client_address", ""), describeCallEvent(*event),
              http::stringify(event));
  std::vector<config::Webhook> hooks;
  try {
    hooks = webhooks_();
  } catch (const std::exception& e) {
    CG_LOG_WARN("webhook") << "cannot read the webhooks: " << e.what();
    return;
  }
  for (const auto& hook : hooks) {
    if (wants(hook, *event)) dispatcher_.submit(hook, event);
  }
}

}  // namespace callgate::mgmt::notify
