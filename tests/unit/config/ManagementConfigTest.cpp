#include <Poco/JSON/Parser.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <thread>

#include "ConfigPrinter.h"
#include "config/ConfigFields.h"
#include "config/ConfigJson.h"
#include "config/ConfigStore.h"
#include "config/Sqlite.h"
#include "config/Validation.h"

using namespace callgate::config;

namespace {
struct TempDb {
  std::string path =
      (std::filesystem::temp_directory_path() /
       ("cg-mgmtcfg-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
          .string();
  ~TempDb() { std::filesystem::remove(path); }
  static inline int counter = 0;
};

Config sample() {
  Config c;
  c.listeners = {Listener{"udp", "udp", "127.0.0.1", 5060, "", true}};
  c.peers = {Peer{.name = "cc", .host = "192.0.2.10", .username = "u", .password = "secret"}};
  c.routes = {Route{"r", 1, "", "", "peer", "cc", true}};
  return c;
}

std::string fields(const std::vector<ValidationError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.field + ";";
  return out;
}

int64_t count(const std::string& path, const std::string& table) {
  auto db = sqlite::openReadWrite(path);
  auto s = sqlite::prepare(db.get(), "SELECT COUNT(*) FROM " + table);
  sqlite3_step(s.get());
  return sqlite3_column_int64(s.get(), 0);
}

Poco::JSON::Object::Ptr object(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(management_config)

BOOST_AUTO_TEST_CASE(defaults_and_json_round_trip) {
  Config c;
  BOOST_TEST(c.management.address == "127.0.0.1");
  BOOST_TEST(c.management.https_port == 8443U);
  BOOST_TEST(c.management.http_redirect_port == 8080U);
  BOOST_TEST(c.management.session_idle_timeout_s == 1800U);
  BOOST_TEST(c.management.max_body_bytes == 1048576U);
  BOOST_TEST(c.management.request_timeout_s == 10U);
  BOOST_TEST(c.management.max_connections_per_address == 64U);
  c.management.https_port = 9443;
  c.management.http_redirect_port = 0;
  const auto text = toJson(c);
  BOOST_TEST(
      text.find("\"management\": {\n    \"address\": \"127.0.0.1\",\n    \"https_port\": 9443,") !=
      std::string::npos);
  const auto parsed = fromJson(text);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed.config == c);
}

BOOST_AUTO_TEST_CASE(validation_names_management_fields) {
  Config c;
  c.management.address = "localhost";
  c.management.https_port = 0;
  c.management.http_redirect_port = 70000;
  c.management.certificate_pem = "junk";
  c.management.session_idle_timeout_s = 5;
  c.management.max_body_bytes = 10;
  c.management.request_timeout_s = 0;
  c.management.max_connections_per_address = 0;
  BOOST_TEST(fields(validate(c)) ==
             "management.address;management.https_port;management.http_redirect_port;"
             "management.private_key_pem;management.certificate_pem;"
             "management.session_idle_timeout_s;management.max_body_bytes;"
             "management.request_timeout_s;management.max_connections_per_address;");
  Config same;
  same.management.http_redirect_port = same.management.https_port;
  BOOST_TEST(fields(validate(same)) == "management.http_redirect_port;");
}

BOOST_AUTO_TEST_CASE(slow_client_limits_have_bounds) {
  Config c;
  c.management.request_timeout_s = 301;
  c.management.max_connections_per_address = 100001;
  const auto errors = validate(c);
  BOOST_TEST(fields(errors) ==
             "management.request_timeout_s;management.max_connections_per_address;");
  BOOST_REQUIRE(errors.size() == 2U);
  BOOST_TEST(errors[0].message == "must be 1..300");
  BOOST_TEST(errors[1].message == "must be 1..100000");
  for (const auto& [timeout, connections] : {std::pair{1U, 1U}, std::pair{300U, 100000U}}) {
    c.management.request_timeout_s = timeout;
    c.management.max_connections_per_address = connections;
    BOOST_TEST(validate(c).empty());
  }
  // Both come through the JSON form as well.
  const auto parsed = fromJson(
      R"({"version": 1, "management": {"request_timeout_s": 3, "max_connections_per_address": 8}})");
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed.config.management.request_timeout_s == 3U);
  BOOST_TEST(parsed.config.management.max_connections_per_address == 8U);
}

BOOST_AUTO_TEST_CASE(object_json_masks_secrets_and_keeps_them_on_write_back) {
  Peer p{.name = "cc", .host = "192.0.2.1", .username = "u", .password = "hunter2"};
  auto o = toJsonObject(p, true);
  BOOST_TEST(o->getValue<std::string>("password") == "********");
  BOOST_TEST(o->getValue<std::string>("host") == "192.0.2.1");
  BOOST_TEST(toJsonObject(p, false)->getValue<std::string>("password") == "hunter2");
  o->set("port", 5080);
  BOOST_TEST(applyJson(o, "", p).empty());
  BOOST_TEST(p.password == "hunter2");
  BOOST_TEST(p.port == 5080U);
  // An empty secret stays empty when shown.
  Peer none{.name = "n", .host = "h"};
  BOOST_TEST(toJsonObject(none, true)->getValue<std::string>("password") == "");
}

BOOST_AUTO_TEST_CASE(object_json_errors_name_the_field) {
  Peer p;
  const auto errors = applyJson(object(R"({"port": "x", "colour": 1, "enabled": 1})"), "", p);
  std::string text;
  for (const auto& e : errors) text += e.field + "=" + e.message + ";";
  BOOST_TEST(text.find("port=expected an integer") != std::string::npos);
  BOOST_TEST(text.find("colour=unknown field") != std::string::npos);
  BOOST_TEST(text.find("enabled=expected true or false") != std::string::npos);
  SipSettings s;
  BOOST_TEST(fields(applyJson(object(R"({"t1_ms": -1})"), "sip", s)) == "sip.t1_ms;");
}

BOOST_AUTO_TEST_CASE(migration_from_version_2_keeps_data) {
  TempDb db;
  {
    auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
    store.save(sample());
  }
  {
    // Turn the file back into a version-2 database: migrations are append
    // only, so this is exactly the schema version 2 wrote.
    auto raw = sqlite::openReadWrite(db.path);
    sqlite::exec(raw.get(),
                 "DROP TABLE users; DROP TABLE api_keys; DROP TABLE audit_log;"
                 "DROP TABLE buttons; DROP TABLE webhooks;"
                 "DELETE FROM settings WHERE section IN ('management', 'callme');"
                 "PRAGMA user_version=2;");
  }
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  BOOST_TEST(store.schemaVersion() == 5);
  BOOST_TEST(store.revision() == 1U);
  BOOST_TEST(store.load() == sample());
  BOOST_TEST(count(db.path, "users") == 0);
  BOOST_TEST(count(db.path, "api_keys") == 0);
  BOOST_TEST(count(db.path, "audit_log") == 0);
}

BOOST_AUTO_TEST_CASE(save_with_audit_is_one_transaction) {
  TempDb db;
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  store.save(sample(), AuditEntry{"alice", "192.0.2.7", "restore", "config", R"({"n":1})"});
  const auto log = store.auditLog(10);
  BOOST_REQUIRE(log.size() == 1U);
  BOOST_TEST(log[0].entry.actor == "alice");
  BOOST_TEST(log[0].entry.address == "192.0.2.7");
  BOOST_TEST(log[0].entry.action == "restore");
  BOOST_TEST(log[0].entry.detail == R"({"n":1})");
  BOOST_TEST(log[0].at.size() == 20U);  // 2026-11-30T01:20:22Z
  BOOST_TEST(log[0].at.back() == 'Z');

  Config bad = sample();
  bad.routes[0].peer = "nobody";
  BOOST_CHECK_THROW(store.save(bad, AuditEntry{"alice", "", "restore", "config"}),
                    ConfigValidationError);
  BOOST_TEST(store.auditLog(10).size() == 1U);
  BOOST_TEST(store.revision() == 1U);
}

BOOST_AUTO_TEST_CASE(failed_update_writes_neither_config_nor_audit) {
  TempDb db;
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  store.save(sample());
  try {
    store.update([](Config& c) {
      c.peers[0].port = 70000;
      return AuditEntry{"bob", "", "update", "peers/cc"};
    });
    BOOST_FAIL("expected a validation error");
  } catch (const ConfigValidationError& e) {
    BOOST_TEST(fields(e.errors()) == "peers[0].port;");
  }
  BOOST_CHECK_THROW(store.update([](Config&) -> AuditEntry { throw std::runtime_error("no"); }),
                    std::runtime_error);
  BOOST_TEST(store.load() == sample());
  BOOST_TEST(store.revision() == 1U);
  BOOST_TEST(store.auditLog(10).empty());

  const auto saved = store.update([](Config& c) {
    c.peers[0].port = 5070;
    return AuditEntry{"bob", "::1", "update", "peers/cc", R"({"port":5070})"};
  });
  BOOST_TEST(saved.peers[0].port == 5070U);
  BOOST_TEST(store.load().peers[0].port == 5070U);
  BOOST_TEST(store.revision() == 2U);
  BOOST_TEST(store.auditLog(10).at(0).entry.object == "peers/cc");
}

BOOST_AUTO_TEST_CASE(concurrent_writers_lose_nothing) {
  TempDb db;
  ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite).save(sample());
  auto writer = [&](const std::string& prefix) {
    auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
    for (int i = 0; i < 10; ++i) {
      store.update([&](Config& c) {
        c.peers.push_back(Peer{.name = prefix + std::to_string(i), .host = "192.0.2.2"});
        return AuditEntry{prefix, "", "create", "peers/" + prefix + std::to_string(i)};
      });
    }
  };
  std::thread a(writer, "a");
  std::thread b(writer, "b");
  a.join();
  b.join();
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  BOOST_TEST(store.load().peers.size() == 21U);
  BOOST_TEST(store.revision() == 21U);
  BOOST_TEST(store.auditLog(100).size() == 20U);
  // Paging back from an id returns older entries only.
  const auto newest = store.auditLog(5);
  const auto older = store.auditLog(5, newest.back().id);
  BOOST_TEST(older.front().id == newest.back().id - 1);
}

BOOST_AUTO_TEST_SUITE_END()
