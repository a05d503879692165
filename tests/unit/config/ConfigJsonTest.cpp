#include <boost/test/unit_test.hpp>

#include "ConfigPrinter.h"
#include "config/ConfigJson.h"
#include "config/Defaults.h"

using namespace callgate::config;

BOOST_AUTO_TEST_SUITE(config_json)

BOOST_AUTO_TEST_CASE(export_import_export_is_byte_identical) {
  Config c = defaultConfig({"192.0.2.5"});
  c.peers.push_back(Peer{.name = "cc",
                         .host = "cc.shop.example",
                         .port = 5061,
                         .transport = "tls",
                         .username = "user",
                         .password = "p\"w\\d",
                         .codecs = "pcma,opus",
                         .media_encryption = "sdes",
                         .media_interface = "host-0",
                         .rtp_latching = false});
  c.media.stun_server = "stun.example.org:3478";
  c.media.inactivity_timeout_s = 45;
  c.routes.push_back(Route{"to-cc", 5, "49", "", "peer", "cc", true});
  c.system.name = "node \u00e9 1\n";
  const auto first = toJson(c);
  const auto parsed = fromJson(first);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed.config == c);
  BOOST_TEST(toJson(parsed.config) == first);
}

BOOST_AUTO_TEST_CASE(errors_name_the_field) {
  const auto r = fromJson(R"({"version": 1, "listeners": [{"name": "a", "port": "5060"}],
                               "peers": [{"name": "p", "colour": "red"}], "extra": 1})");
  BOOST_REQUIRE(!r.ok());
  std::vector<std::string> fields;
  for (const auto& e : r.errors) fields.push_back(e.field + ": " + e.message);
  auto has = [&](const std::string& text) {
    return std::find(fields.begin(), fields.end(), text) != fields.end();
  };
  BOOST_TEST(has("listeners[0].port: expected an integer 0..4294967295"));
  BOOST_TEST(has("peers[0].colour: unknown field"));
  BOOST_TEST(has("extra: unknown field"));
}

BOOST_AUTO_TEST_CASE(syntax_errors_and_wrong_version) {
  BOOST_TEST(fromJson("{\"version\": 1,").errors.at(0).message.starts_with("JSON syntax error"));
  BOOST_TEST(fromJson("[]").errors.at(0).message == "expected an object");
  BOOST_TEST(fromJson("{\"version\": 2}").errors.at(0).field == "version");
}

BOOST_AUTO_TEST_CASE(missing_fields_take_defaults) {
  const auto r = fromJson(R"({"listeners": [{"name": "u"}]})");
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r.config.sip.t1_ms == 500U);
  BOOST_TEST(r.config.listeners.at(0).transport == "udp");
}

BOOST_AUTO_TEST_SUITE_END()
