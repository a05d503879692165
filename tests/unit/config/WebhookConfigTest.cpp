#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "ConfigPrinter.h"
#include "config/ConfigFields.h"
#include "config/ConfigJson.h"
#include "config/ConfigStore.h"
#include "config/Validation.h"
#include "config/WebhookValidation.h"

using namespace callgate::config;

namespace {
struct TempDb {
  std::string path =
      (std::filesystem::temp_directory_path() /
       ("cg-webhookcfg-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
          .string();
  ~TempDb() { std::filesystem::remove(path); }
  static inline int counter = 0;
};

Config sample() {
  Config c;
  c.peers = {Peer{.name = "cc", .host = "192.0.2.10"}};
  Button b;
  b.name = "sales";
  b.peer = "cc";
  b.destination_user = "sales";
  b.allowed_origins = "https://shop.example";
  c.buttons = {b};
  Webhook json;
  json.name = "crm";
  json.url = "https://crm.example:8443/hooks/callgate?tenant=7";
  json.secret = "0123456789abcdef-secret";
  json.events = "offered, answered,ended,refused";
  json.buttons = "sales";
  Webhook rpc;
  rpc.name = "acd_1";
  rpc.format = "xmlrpc";
  rpc.url = "http://10.0.0.5:8080/RPC2";
  rpc.xmlrpc_method = "acd.callEvent";
  rpc.timeout_ms = 500;
  rpc.max_attempts = 1;
  c.webhooks = {json, rpc};
  return c;
}

std::string errorText(const Config& c) {
  std::string out;
  for (const auto& e : validate(c)) out += e.field + "=" + e.message + ";";
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(webhook_config)

BOOST_AUTO_TEST_CASE(a_valid_pair_passes_and_survives_store_and_json) {
  const Config c = sample();
  BOOST_TEST(errorText(c) == "");
  TempDb db;
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  store.save(c);
  BOOST_TEST(store.load() == c);
  const auto parsed = fromJson(toJson(c));
  BOOST_TEST(parsed.errors.empty());
  BOOST_TEST(parsed.config == c);
}

BOOST_AUTO_TEST_CASE(defaults_are_a_signed_json_hook_for_the_call_lifecycle) {
  const Webhook w;
  BOOST_TEST(w.format == "json");
  BOOST_TEST(w.events == "offered,answered,ended");
  BOOST_TEST(w.timeout_ms == 3000U);
  BOOST_TEST(w.max_attempts == 6U);
  BOOST_TEST(w.verify_tls);
  BOOST_TEST(isSecretField("secret"));
}

BOOST_AUTO_TEST_CASE(each_bad_field_is_named) {
  Config c = sample();
  auto& w = c.webhooks[0];
  w.name = "Bad Name";
  w.format = "soap";
  w.url = "ftp://crm.example/x";
  w.events = "offered,hungup";
  w.buttons = "sales,nope";
  w.xmlrpc_method = "a b";
  w.timeout_ms = 50;
  w.max_attempts = 0;
  c.webhooks[1].name = "acd_1";
  const std::string text = errorText(c);
  BOOST_TEST(text.find("webhooks[0].name=must be 1-64 of [a-z0-9-_]") != std::string::npos);
  BOOST_TEST(text.find("webhooks[0].format=must be json or xmlrpc") != std::string::npos);
  BOOST_TEST(text.find("webhooks[0].url=") != std::string::npos);
  BOOST_TEST(text.find("webhooks[0].events=unknown event 'hungup'") != std::string::npos);
  BOOST_TEST(text.find("webhooks[0].buttons=no button named 'nope'") != std::string::npos);
  BOOST_TEST(text.find("webhooks[0].xmlrpc_method=") != std::string::npos);
  BOOST_TEST(text.find("webhooks[0].timeout_ms=must be 100..30000") != std::string::npos);
  BOOST_TEST(text.find("webhooks[0].max_attempts=must be 1..20") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_hooks_need_a_secret_and_urls_no_blanks) {
  Config c = sample();
  c.webhooks[0].secret = "short";
  c.webhooks[1].url = "http://10.0.0.5/a b";
  const std::string text = errorText(c);
  BOOST_TEST(text.find("webhooks[0].secret=must be at least 16 characters") != std::string::npos);
  BOOST_TEST(text.find("webhooks[1].url=") != std::string::npos);
  c.webhooks[1].url = "http://\r\nHost: evil/";
  BOOST_TEST(errorText(c).find("webhooks[1].url=") != std::string::npos);
  c.webhooks[1].url = "https://";
  BOOST_TEST(errorText(c).find("webhooks[1].url=") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(duplicate_names_are_refused) {
  Config c = sample();
  c.webhooks[1].name = "crm";
  BOOST_TEST(errorText(c).find("webhooks[1].name=duplicate webhook name 'crm'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(lists_split_on_commas_and_trim) {
  BOOST_TEST(
      (splitList(" offered ,, answered,") == std::vector<std::string>{"offered", "answered"}));
  BOOST_TEST(splitList("").empty());
}

BOOST_AUTO_TEST_SUITE_END()
