#pragma once
// The demo configuration's shop: its button must exist for the pages to
// work out of the box.

#include <string>

namespace callgate::mgmt::api {
class Services;
}

namespace callgate::mgmt::app {

// Creates button `name` when the configuration has none by that name: the
// built-in echo destination (the caller hears themselves), pages of
// `origin` allowed, a token required. The change is audited as made by
// callgate-mgmt and applied to a running callgated. An existing button is
// left as it is (an administrator may have pointed it at a real phone).
void ensureDemoButton(api::Services& services, const std::string& name, const std::string& origin);

}  // namespace callgate::mgmt::app
