#pragma once
// Where each call event from callgated goes inside callgate-mgmt: into the
// event log (/api/v1/events, XML-RPC events.list) and to every webhook of
// the current configuration that wants it.

#include <Poco/JSON/Object.h>

#include <functional>
#include <string>

#include "api/EventLog.h"
#include "config/Config.h"
#include "notify/WebhookDispatcher.h"

namespace callgate::mgmt::notify {

class CallEventRouter {
 public:
  using Webhooks = std::function<std::vector<config::Webhook>()>;  // the configured ones

  CallEventRouter(api::EventLog& log, WebhookDispatcher& dispatcher, Webhooks webhooks)
      : log_(log), dispatcher_(dispatcher), webhooks_(std::move(webhooks)) {}

  void onEvent(const Poco::JSON::Object::Ptr& event);

 private:
  // passed in
  api::EventLog& log_;
  WebhookDispatcher& dispatcher_;
  Webhooks webhooks_;
};

// One line for the event log: "call 12 offered: sip:alice@... → sales (button demo)".
std::string describeCallEvent(const Poco::JSON::Object& event);

}  // namespace callgate::mgmt::notify
