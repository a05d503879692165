#include "app/callgated/CallEventPublisher.h"

#include "config/AuditLog.h"
#include "control/ControlServer.h"
#include "core/Counters.h"

namespace callgate::app {

Poco::JSON::Object::Ptr callEventJson(const b2bua::CallEvent& e) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("type", std::string("call.") + b2bua::callEventName(e.kind));
  o->set("at", config::utcNowIso8601());
  o->set("call_id", e.callId);
  o->set("sip_call_id", e.sipCallId);
  o->set("from", e.from);
  o->set("to", e.to);
  o->set("route", e.route);
  o->set("peer", e.peer);
  o->set("destination", e.destination);
  o->set("client_address", e.clientAddress);
  if (!e.callme.button.empty()) {
    Poco::JSON::Object::Ptr c = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    c->set("button", e.callme.button);
    c->set("origin", e.callme.origin);
    c->set("customer_id", e.callme.customerId);
    c->set("order_id", e.callme.orderId);
    c->set("page_url", e.callme.pageUrl);
    c->set("page_title", e.callme.pageTitle);
    Poco::JSON::Object::Ptr data = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [key, value] : e.callme.data) data->set(key, value);
    c->set("data", data);
    o->set("callme", c);
  }
  if (e.kind == b2bua::CallEventKind::Ended || e.kind == b2bua::CallEventKind::Refused) {
    o->set("status", e.status);
    o->set("reason", e.reason);
  }
  if (e.kind == b2bua::CallEventKind::Ended) o->set("duration_s", e.durationS);
  return o;
}

void CallEventPublisher::onCallEvent(const b2bua::CallEvent& event) {
  static auto& published = core::counter("control.events_published");
  if (control_.subscriberCount() == 0) return;
  control_.publish(callEventJson(event));
  published.inc();
}

}  // namespace callgate::app
