#include <boost/test/unit_test.hpp>

#include "config/Defaults.h"
#include "config/Validation.h"

using namespace callgate::config;

namespace {
std::string fieldsOf(const Config& c) {
  std::string out;
  for (const auto& e : validate(c)) out += e.field + ";";
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(config_validation)

BOOST_AUTO_TEST_CASE(defaults_are_valid_without_tls_listeners) {
  Config c = defaultConfig({});
  for (auto& l : c.listeners) {
    if (l.transport == "tls" || l.transport == "wss") l.enabled = false;
  }
  BOOST_TEST(fieldsOf(c) == "");
}

BOOST_AUTO_TEST_CASE(tls_listener_needs_a_certificate) {
  Config c = defaultConfig({});
  BOOST_TEST(fieldsOf(c) == "tls.certificate_pem;");
}

BOOST_AUTO_TEST_CASE(each_rule_names_its_field) {
  Config c;
  c.listeners = {Listener{"a", "sctp", "not-an-ip", 70000, "", true},
                 Listener{"a", "udp", "127.0.0.1", 5060, "", true},
                 Listener{"b", "udp", "127.0.0.1", 5060, "", true}};
  c.peers = {Peer{.name = "bad name!",
                  .host = "host..example",
                  .port = 5060,
                  .transport = "ws",
                  .password = "pw"}};
  c.routes = {Route{"r", 1, "", "", "peer", "missing", true},
              Route{"r2", 1, "", "", "x", "", true}};
  c.sip.t1_ms = 0;
  c.sip.min_se_s = 30;
  c.system.log_level = "loud";
  const auto f = fieldsOf(c);
  for (const char* field :
       {"listeners[0].transport", "listeners[0].address", "listeners[0].port", "listeners[1].name",
        "listeners[2].port", "peers[0].name", "peers[0].host", "peers[0].transport",
        "peers[0].username", "routes[0].peer", "routes[1].target_type", "sip.t1_ms", "sip.min_se_s",
        "system.log_level"}) {
    BOOST_TEST_INFO(field);
    BOOST_TEST(f.find(std::string(field) + ";") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(udp_and_tcp_may_share_a_port) {
  Config c;
  c.listeners = {Listener{"u", "udp", "127.0.0.1", 5060, "", true},
                 Listener{"t", "tcp", "127.0.0.1", 5060, "", true}};
  BOOST_TEST(fieldsOf(c) == "");
}

BOOST_AUTO_TEST_SUITE_END()
