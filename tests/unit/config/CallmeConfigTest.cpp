#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "ConfigPrinter.h"
#include "callme/Base64.h"
#include "config/CallmeValidation.h"
#include "config/ConfigFields.h"
#include "config/ConfigJson.h"
#include "config/ConfigStore.h"
#include "config/Defaults.h"
#include "config/Sqlite.h"
#include "config/Validation.h"

using namespace callgate::config;

namespace {
struct TempDb {
  std::string path =
      (std::filesystem::temp_directory_path() /
       ("cg-callmecfg-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
          .string();
  ~TempDb() { std::filesystem::remove(path); }
  static inline int counter = 0;
};

Button button(std::string name = "sales") {
  Button b;
  b.name = std::move(name);
  b.peer = "cc";
  b.destination_user = "sales";
  b.allowed_origins = "https://shop.example, https://www.shop.example:8443";
  b.opening_hours = "mon-fri 09:00-18:00; sat 10:00-14:00";
  b.timezone = "Europe/Berlin";
  b.closed_message = "We are open Monday to Saturday.";
  b.label = "Call us";
  b.colour = "#0a7cff";
  b.language = "de-CH";
  return b;
}

Config sample() {
  Config c;
  c.listeners = {Listener{"udp", "udp", "127.0.0.1", 5060, "", true}};
  c.peers = {Peer{.name = "cc", .host = "192.0.2.10"}};
  c.routes = {Route{"r", 1, "", "", "peer", "cc", true}};
  c.callme.token_secret = callgate::callme::base64Encode(std::string(32, '\x5a'));
  c.buttons = {button()};
  return c;
}

std::string errorFields(const Config& c) {
  std::string out;
  for (const auto& e : validate(c)) out += e.field + ";";
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(callme_config)

BOOST_AUTO_TEST_CASE(defaults) {
  const Config c;
  BOOST_TEST(c.callme.enabled);
  BOOST_TEST(c.callme.token_secret.empty());
  BOOST_TEST(c.callme.token_max_ttl_s == 600U);
  BOOST_TEST(c.callme.max_calls_per_ip == 2U);
  const Button b;
  BOOST_TEST(b.require_token);
  BOOST_TEST(b.max_concurrent_calls == 10U);
  BOOST_TEST(b.max_calls_per_minute == 30U);
  BOOST_TEST(!b.video);
  BOOST_TEST(b.header_prefix == "X-Callme-");
  BOOST_TEST(b.destination_type == "peer");
  BOOST_TEST(isSecretField("token_secret"));
}

BOOST_AUTO_TEST_CASE(sample_is_valid_and_json_round_trips) {
  const Config c = sample();
  BOOST_TEST(errorFields(c) == "");
  const auto text = toJson(c);
  BOOST_TEST(text.find("\"buttons\": [") != std::string::npos);
  BOOST_TEST(text.find("\"opening_hours\": \"mon-fri 09:00-18:00; sat 10:00-14:00\"") !=
             std::string::npos);
  const auto parsed = fromJson(text);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed.config == c);
  BOOST_TEST(toJson(parsed.config) == text);
}

BOOST_AUTO_TEST_CASE(json_errors_name_button_fields) {
  const auto r = fromJson(R"({"buttons": [{"name": "a", "require_token": "yes", "shape": 1}],
                   "callme": {"max_calls_per_ip": -1}})");
  std::string text;
  for (const auto& e : r.errors) text += e.field + "=" + e.message + ";";
  BOOST_TEST(text.find("buttons[0].require_token=expected true or false;") != std::string::npos);
  BOOST_TEST(text.find("buttons[0].shape=unknown field;") != std::string::npos);
  BOOST_TEST(text.find("callme.max_calls_per_ip=expected an integer") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(store_round_trip_and_migration_from_3) {
  TempDb db;
  {
    auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
    BOOST_TEST(store.schemaVersion() == 5);
    store.save(sample());
    BOOST_TEST(store.load() == sample());
  }
  {
    // Back to what version 3 wrote: no buttons table, no callme settings.
    auto raw = sqlite::openReadWrite(db.path);
    sqlite::exec(raw.get(),
                 "DROP TABLE buttons; DROP TABLE webhooks;"
                 "DELETE FROM settings WHERE section = 'callme';"
                 "PRAGMA user_version=3;");
  }
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  BOOST_TEST(store.schemaVersion() == 5);
  Config expected = sample();
  expected.buttons.clear();
  expected.callme = CallmeSettings{};
  BOOST_TEST(store.load() == expected);
}

BOOST_AUTO_TEST_CASE(generated_defaults_fill_only_what_is_empty) {
  Config c;
  const bool changed = fillGeneratedDefaults(c, [](size_t n) { return std::string(n, '\x01'); });
  BOOST_TEST(changed);
  BOOST_TEST(c.callme.token_secret == callgate::callme::base64Encode(std::string(32, '\x01')));
  BOOST_TEST(c.callme.token_secret.size() == 44U);
  BOOST_TEST(!fillGeneratedDefaults(c));
  BOOST_TEST(c.callme.token_secret == callgate::callme::base64Encode(std::string(32, '\x01')));
  // The system source gives 32 fresh bytes each time.
  Config a;
  Config b;
  fillGeneratedDefaults(a);
  fillGeneratedDefaults(b);
  BOOST_TEST(callgate::callme::base64Decode(a.callme.token_secret)->size() == 32U);
  BOOST_TEST(a.callme.token_secret != b.callme.token_secret);
  BOOST_TEST(errorFields(a) == "");
}

BOOST_AUTO_TEST_CASE(each_rule_names_its_field) {
  Config c = sample();
  c.callme.token_secret = "not base64!";
  c.callme.token_max_ttl_s = 5;
  c.callme.max_calls_per_ip = 0;
  Button bad = button("Bad_Name");
  bad.destination_type = "pstn";
  bad.destination_user = "sales\r\n";
  bad.allowed_origins = "https://shop.example/path, *";
  bad.require_token = false;
  bad.max_concurrent_calls = 0;
  bad.max_calls_per_minute = 0;
  bad.opening_hours = "mon-fry 09:00-18:00";
  bad.timezone = "Mars/Olympus_Mons";
  bad.closed_message = "closed\n";
  bad.header_prefix = "X Callme";
  bad.colour = "blue";
  bad.language = "english!";
  Button dup = button();
  dup.peer = "nobody";
  c.buttons = {button(), bad, dup};
  const auto f = errorFields(c);
  for (const char* field :
       {"callme.token_secret", "callme.token_max_ttl_s", "callme.max_calls_per_ip",
        "buttons[1].name", "buttons[1].destination_type", "buttons[1].destination_user",
        "buttons[1].allowed_origins", "buttons[1].max_concurrent_calls",
        "buttons[1].max_calls_per_minute", "buttons[1].opening_hours", "buttons[1].timezone",
        "buttons[1].closed_message", "buttons[1].header_prefix", "buttons[1].colour",
        "buttons[1].language", "buttons[2].name", "buttons[2].peer"}) {
    BOOST_TEST_INFO(field);
    BOOST_TEST(f.find(std::string(field) + ";") != std::string::npos);
  }
  BOOST_TEST(f.find("buttons[0].") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(star_origin_needs_a_token_and_messages_say_why) {
  Config c = sample();
  c.buttons[0].allowed_origins = "*";
  BOOST_TEST(errorFields(c) == "");
  c.buttons[0].require_token = false;
  const auto errors = validate(c);
  BOOST_REQUIRE(errors.size() == 1U);
  BOOST_TEST(errors[0].field == "buttons[0].allowed_origins");
  BOOST_TEST(errors[0].message.find("require_token") != std::string::npos);
  c.buttons[0].allowed_origins = "";
  BOOST_TEST(errorFields(c) == "buttons[0].allowed_origins;");
  c.buttons[0].allowed_origins = "https://shop.example";
  c.buttons[0].opening_hours = "mon 18:00-09:00";
  const auto hours = validate(c);
  BOOST_REQUIRE(hours.size() == 1U);
  BOOST_TEST(hours[0].field == "buttons[0].opening_hours");
  BOOST_TEST(hours[0].message.find("the end must be after the start") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(registered_destination_has_no_peer) {
  Config c = sample();
  c.buttons[0].destination_type = "registered";
  BOOST_TEST(errorFields(c) == "buttons[0].peer;");
  c.buttons[0].peer = "";
  BOOST_TEST(errorFields(c) == "");
}

BOOST_AUTO_TEST_CASE(origins) {
  BOOST_TEST(isValidOrigin("https://shop.example"));
  BOOST_TEST(isValidOrigin("http://127.0.0.1:8080"));
  BOOST_TEST(isValidOrigin("https://[2001:db8::1]:443"));
  BOOST_TEST(!isValidOrigin("https://shop.example/"));
  BOOST_TEST(!isValidOrigin("https://Shop.example"));
  BOOST_TEST(!isValidOrigin("ftp://shop.example"));
  BOOST_TEST(!isValidOrigin("https://shop.example:0"));
  BOOST_TEST(!isValidOrigin("https://shop.example:70000"));
  BOOST_TEST(!isValidOrigin("https://"));
  const auto list = splitOrigins(" https://a.example ,https://b.example,, ");
  BOOST_REQUIRE(list.size() == 2U);
  BOOST_TEST(list[0] == "https://a.example");
  BOOST_TEST(list[1] == "https://b.example");
}

BOOST_AUTO_TEST_CASE(echo_destination_needs_no_peer_or_user) {
  Config c = sample();
  c.buttons[0].destination_type = "echo";
  // The sample names a peer: an echo button must not.
  const auto withPeer = validate(c);
  BOOST_REQUIRE(withPeer.size() == 1U);
  BOOST_TEST(withPeer[0].field == "buttons[0].peer");
  BOOST_TEST(withPeer[0].message == "must be empty when destination_type is echo");
  c.buttons[0].peer = "";
  BOOST_TEST(errorFields(c) == "");
  c.buttons[0].destination_user = "";
  BOOST_TEST(errorFields(c) == "");
  // A user, when given, is still checked.
  c.buttons[0].destination_user = "no spaces";
  BOOST_TEST(errorFields(c) == "buttons[0].destination_user;");
  // Other destinations still need their user, and unknown types name all three.
  c.buttons[0].destination_user = "";
  c.buttons[0].destination_type = "registered";
  BOOST_TEST(errorFields(c) == "buttons[0].destination_user;");
  c.buttons[0].destination_type = "loop";
  c.buttons[0].destination_user = "sales";
  const auto unknown = validate(c);
  BOOST_REQUIRE(unknown.size() == 1U);
  BOOST_TEST(unknown[0].field == "buttons[0].destination_type");
  BOOST_TEST(unknown[0].message == "must be peer, registered or echo");
  // The type survives the JSON round trip and the store.
  c.buttons[0].destination_type = "echo";
  c.buttons[0].destination_user = "";
  const auto parsed = fromJson(toJson(c));
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed.config == c);
  TempDb db;
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  store.save(c);
  const auto loaded = store.load();
  BOOST_REQUIRE(loaded.buttons.size() == 1U);
  BOOST_TEST(loaded.buttons[0].destination_type == "echo");
  BOOST_TEST(loaded.buttons[0].destination_user == "");
  BOOST_TEST(loaded.buttons[0].peer == "");
}

BOOST_AUTO_TEST_SUITE_END()
