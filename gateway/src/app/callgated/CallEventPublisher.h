#pragma once
// Turns the B2BUA's call events into control-socket notifications
// (ControlServer::publish), the stream callgate-mgmt subscribes to.

#include <Poco/JSON/Object.h>

#include "b2bua/CallEvent.h"

namespace callgate::control {
class ControlServer;
}

namespace callgate::app {

// {"type": "call.offered", "at": "<UTC ISO 8601>", "call_id": 12, ...};
// the members are listed in docs/callme.md ("Call events").
Poco::JSON::Object::Ptr callEventJson(const b2bua::CallEvent& event);

class CallEventPublisher final : public b2bua::CallEventSink {
 public:
  explicit CallEventPublisher(control::ControlServer& control) : control_(control) {}
  void onCallEvent(const b2bua::CallEvent& event) override;

 private:
  // passed in
  control::ControlServer& control_;
};

}  // namespace callgate::app
