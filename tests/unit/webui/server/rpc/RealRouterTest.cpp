// The XML-RPC front end over the real route table and services, on a
// throw-away database.

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include "api/OpenApiDocument.h"
#include "api/Resources.h"
#include "api/Services.h"
#include "config/ConfigStore.h"
#include "core/Clock.h"
#include "http/ApiError.h"
#include "rpc/Authentication.h"
#include "rpc/Dispatcher.h"
#include "rpc/Endpoint.h"
#include "rpc/Methods.h"

using namespace callgate;
using namespace callgate::mgmt;
using xmlrpc::Array;
using xmlrpc::Struct;
using xmlrpc::Value;

namespace {

std::string tempPath() {
  static int counter = 0;
  return (std::filesystem::temp_directory_path() /
          ("cg-rpc-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
      .string();
}

struct Node {
  Node() : path(tempPath()), services(options(path), clock), router(api::buildRouter(services)) {
    rpc::addXmlRpcRoute(router, services);
    services.users.create(auth::User{"ops", auth::Role::Admin, false, ""}, "ops password 1",
                          {"test", "", "create", "users/ops", "{}"});
    services.users.create(auth::User{"viewer", auth::Role::ReadOnly, false, ""}, "viewer password",
                          {"test", "", "create", "users/viewer", "{}"});
  }
  ~Node() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  static api::ServicesOptions options(const std::string& db) {
    config::ConfigStore::open(db, config::ConfigStore::Mode::ReadWrite);
    api::ServicesOptions o;
    o.dbPath = db;
    o.scrypt = auth::ScryptParams{10, 8, 1};
    return o;
  }
  api::Principal as(const std::string& user, auth::Role role) {
    api::Principal p;
    p.kind = api::Principal::Kind::ApiKey;
    p.user = user;
    p.keyName = user + "-key";
    p.role = role;
    p.address = "127.0.0.1";
    return p;
  }
  rpc::Outcome call(const api::Principal& who, const std::string& method, Array params = {}) {
    return rpc::Dispatcher(router).call(xmlrpc::MethodCall{method, std::move(params)},
                                        std::any(who), who.address);
  }

  std::string path;
  core::FakeClock clock;
  api::Services services;
  http::Router router;
};

std::string basic(const std::string& userColonPassword) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder << userColonPassword;
  encoder.close();
  return "Basic " + out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rpc_real_router)

BOOST_AUTO_TEST_CASE(every_method_has_its_route) {
  Node node;
  const rpc::Dispatcher dispatcher(node.router);
  const auto out = node.call(node.as("ops", auth::Role::Admin), "system.listMethods");
  const auto names = std::get<Value>(out).extract<Array>();
  BOOST_TEST(names.size() == rpc::methodTable().size() + 3);
  // And /RPC2 itself is in the table, taking XML.
  bool found = false;
  for (const auto& r : node.router.routes()) {
    if (r.pattern == rpc::kRpcPath) found = r.method == "POST" && r.body == http::BodyKind::Xml;
  }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(the_embedded_openapi_document_lists_exactly_the_routes) {
  Node node;
  Poco::JSON::Parser parser;
  const auto doc =
      parser.parse(std::string(api::openApiDocument())).extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(doc->getValue<std::string>("openapi").starts_with("3.0"));
  std::set<std::string> documented;
  const auto paths = doc->getObject("paths");
  BOOST_REQUIRE(paths);
  for (const auto& path : paths->getNames()) {
    for (const auto& method : paths->getObject(path)->getNames()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + path);
    }
  }
  std::set<std::string> routed;
  for (const auto& r : node.router.routes()) {
    if (api::inOpenApiDocument(r.pattern)) routed.insert(r.method + " " + r.pattern);
  }
  BOOST_TEST(documented == routed, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(crud_through_the_real_handlers_and_store) {
  Node node;
  const auto admin = node.as("ops", auth::Role::Admin);
  Struct peer;
  peer.insert("name", std::string("cc"));
  peer.insert("host", std::string("192.0.2.10"));
  peer.insert("port", Poco::Int64{5061});
  peer.insert("username", std::string("callgate"));
  peer.insert("password", std::string("peer secret"));
  auto out = node.call(admin, "peers.create", {peer});
  if (const auto* f = std::get_if<xmlrpc::Fault>(&out)) BOOST_FAIL(f->message);
  const auto created = std::get<Value>(out).extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(created->getValue<bool>("applied") == false);  // no daemon here
  const auto stored =
      node.services.withStore([](config::ConfigStore& s) { return s.load(); }).peers;
  BOOST_REQUIRE_EQUAL(stored.size(), 1U);
  BOOST_TEST(stored[0].port == 5061U);
  BOOST_TEST(stored[0].password == "peer secret");

  out = node.call(admin, "peers.get", {std::string("cc")});
  const auto read = std::get<Value>(out).extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(read->getValue<std::string>("password") == "********");

  Struct bad;
  bad.insert("port", Poco::Int64{70000});
  out = node.call(admin, "peers.update", {std::string("cc"), bad});
  BOOST_REQUIRE(std::holds_alternative<xmlrpc::Fault>(out));
  BOOST_TEST(std::get<xmlrpc::Fault>(out).code == 422);
  BOOST_TEST(std::get<xmlrpc::Fault>(out).message.starts_with("validation_failed: port: "),
             std::get<xmlrpc::Fault>(out).message);

  // The audit names the API key, as for REST.
  const auto audit =
      node.services.withStore([](config::ConfigStore& s) { return s.auditLog(1, 0); });
  BOOST_REQUIRE_EQUAL(audit.size(), 1U);
  BOOST_TEST(audit[0].entry.actor == "apikey:ops-key");

  out = node.call(node.as("viewer", auth::Role::ReadOnly), "peers.delete", {std::string("cc")});
  BOOST_REQUIRE(std::holds_alternative<xmlrpc::Fault>(out));
  BOOST_TEST(std::get<xmlrpc::Fault>(out).code == 403);
  out = node.call(admin, "peers.delete", {std::string("cc")});
  BOOST_REQUIRE(std::holds_alternative<Value>(out));
  BOOST_TEST(
      node.services.withStore([](config::ConfigStore& s) { return s.load(); }).peers.empty());
  // The change was recorded as an event (not applied: no daemon).
  const auto events = node.services.events.after(0, 100);
  BOOST_TEST(!events.empty());
  BOOST_TEST(events.back().type == "config_not_applied");
}

BOOST_AUTO_TEST_CASE(bearer_and_basic_authentication) {
  Node node;
  const auto key = node.services.keys.create("script", "ops", auth::Role::ReadOnly,
                                             {"test", "", "create", "api_keys/script", "{}"});
  auto p = rpc::authenticate(node.services, "Bearer " + key.secret, "127.0.0.1");
  BOOST_TEST(p.keyName == "script");
  BOOST_TEST((p.role == auth::Role::ReadOnly));
  p = rpc::authenticate(node.services, basic("ops:ops password 1"), "127.0.0.1");
  BOOST_TEST((p.kind == api::Principal::Kind::Password));
  BOOST_TEST(p.actor() == "ops");

  const auto refused = [&](const std::string& header) {
    try {
      rpc::authenticate(node.services, header, "127.0.0.1");
    } catch (const http::ApiError& e) {
      return e.status();
    }
    return 200;
  };
  BOOST_TEST(refused("") == 401);
  BOOST_TEST(refused("Bearer cgk_" + std::string(64, '0')) == 401);
  BOOST_TEST(refused("Basic !!!") == 401);
  BOOST_TEST(refused(basic("no colon")) == 401);
  BOOST_TEST(refused("Digest username=ops") == 401);
  // Wrong passwords count toward the same throttle as the REST login.
  for (int i = 0; i < 5; ++i) BOOST_TEST(refused(basic("ops:wrong password")) == 401);
  BOOST_TEST(refused(basic("ops:wrong password")) == 429);
  BOOST_TEST(refused(basic("ops:ops password 1")) == 429);
  BOOST_TEST(node.services.events.after(0, 100).front().type == "login_failed");
}

BOOST_AUTO_TEST_SUITE_END()
