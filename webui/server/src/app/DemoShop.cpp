#include "app/DemoShop.h"

#include "api/ConfigChange.h"
#include "api/Services.h"
#include "core/Log.h"

namespace callgate::mgmt::app {

void ensureDemoButton(api::Services& services, const std::string& name, const std::string& origin) {
  const bool exists = services.withStore([&](config::ConfigStore& st) {
    for (const auto& b : st.load().buttons) {
      if (b.name == name) return true;
    }
    return false;
  });
  if (exists) return;
  api::Principal who;
  who.user = "callgate-mgmt";
  api::changeConfig(services, who, "create", "buttons/" + name, [&](config::Config& c) {
    config::Button b;
    b.name = name;
    b.destination_type = "echo";
    b.allowed_origins = origin;
    b.label = "Call the demo shop";
    b.colour = "#0a7d32";
    b.closed_message = "";
    c.buttons.push_back(b);
    return api::Mutation{"{\"destination_type\":\"echo\"}", ""};
  });
  CG_LOG_INFO("mgmt") << "demo shop: created button '" << name << "' (echo destination) for "
                      << origin;
}

}  // namespace callgate::mgmt::app
