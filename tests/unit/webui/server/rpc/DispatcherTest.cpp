#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <boost/test/unit_test.hpp>

#include "http/ApiError.h"
#include "http/Json.h"
#include "rpc/Dispatcher.h"

using namespace callgate::mgmt;
using rpc::Dispatcher;
using rpc::Outcome;
using xmlrpc::Array;
using xmlrpc::Struct;
using xmlrpc::Value;

namespace {

// What the last handler saw.
struct Seen {
  http::Request request;
  int calls = 0;
};

http::Route route(const std::string& method, const std::string& pattern, Seen& seen,
                  std::function<http::Response(http::Request&)> answer) {
  http::Route r;
  r.method = method;
  r.pattern = pattern;
  r.handler = [&seen, answer](http::Request& request) {
    seen.request = request;
    ++seen.calls;
    return answer(request);
  };
  return r;
}

Poco::JSON::Object::Ptr object(const std::string& json) {
  return http::parseObject(json);
}

// A router with a few of the real patterns and handlers that echo.
struct Fixture {
  Fixture() {
    router.add(route("GET", "/api/v1/peers", seen, [](http::Request&) {
      return http::Response::of(object(R"({"items": [{"name": "a"}, {"name": "b"}]})"));
    }));
    router.add(route("GET", "/api/v1/peers/{name}", seen, [](http::Request& r) {
      if (r.param("name") == "ghost") throw http::ApiError(404, "not_found", "no peer", "name");
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("name", r.param("name"));
      return http::Response::of(o);
    }));
    router.add(route("POST", "/api/v1/peers", seen,
                     [](http::Request& r) { return http::Response::of(r.json, 201); }));
    router.add(route("PATCH", "/api/v1/peers/{name}", seen, [](http::Request&) -> http::Response {
      http::ApiError e(422, "validation_failed", "must be 0..65535", "port");
      throw e;
    }));
    router.add(route("DELETE", "/api/v1/peers/{name}", seen,
                     [](http::Request&) -> http::Response { throw std::runtime_error("boom"); }));
    router.add(route("GET", "/api/v1/settings/sip", seen, [](http::Request&) {
      return http::Response::of(object(R"({"t1_ms": 500})"));
    }));
    router.add(route("GET", "/api/v1/calls/{id}", seen, [](http::Request& r) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("id", r.param("id"));
      return http::Response::of(o);
    }));
    router.add(route("GET", "/api/v1/audit", seen, [](http::Request&) {
      return http::Response::of(object(R"({"items": []})"));
    }));
    router.add(route("GET", "/api/v1/backup", seen, [](http::Request&) {
      http::Response r;
      r.raw = "{\"version\": 1}\n";
      return r;
    }));
    router.add(route("POST", "/api/v1/restore", seen, [](http::Request& r) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("bytes", r.body.size());
      return http::Response::of(o);
    }));
  }

  Outcome call(const std::string& method, Array params = {}) {
    return Dispatcher(router).call(xmlrpc::MethodCall{method, std::move(params)},
                                   std::any(std::string("the caller")), "192.0.2.1");
  }
  Value ok(const std::string& method, Array params = {}) {
    auto out = call(method, std::move(params));
    const auto* f = std::get_if<xmlrpc::Fault>(&out);
    BOOST_REQUIRE_MESSAGE(!f, method << " faulted: " << (f ? f->message : ""));
    return std::get<Value>(out);
  }
  xmlrpc::Fault fault(const std::string& method, Array params = {}) {
    auto out = call(method, std::move(params));
    BOOST_REQUIRE_MESSAGE(std::holds_alternative<xmlrpc::Fault>(out), method << " succeeded");
    return std::get<xmlrpc::Fault>(out);
  }

  http::Router router;
  Seen seen;
};

Struct fields(std::initializer_list<std::pair<const std::string, Value>> members) {
  Struct s;
  for (const auto& [k, v] : members) s.insert(k, v);
  return s;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(rpc_dispatcher, Fixture)

BOOST_AUTO_TEST_CASE(list_methods_names_only_methods_whose_route_exists) {
  const auto names = ok("system.listMethods").extract<Array>();
  std::vector<std::string> got;
  for (const auto& n : names) got.push_back(n.extract<std::string>());
  const std::vector<std::string> want{
      "system.listMethods", "system.methodHelp", "system.methodSignature",
      "audit.list",         "calls.get",         "config.export",
      "config.import",      "peers.create",      "peers.delete",
      "peers.get",          "peers.list",        "peers.update",
      "settings.get"};
  BOOST_TEST(got == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(create_sends_the_struct_as_json_body_with_the_principal) {
  const auto result =
      ok("peers.create", {fields({{"name", std::string("cc")}, {"port", Poco::Int64{5061}}})});
  BOOST_TEST(seen.request.method == "POST");
  BOOST_TEST(seen.request.path == "/api/v1/peers");
  BOOST_REQUIRE(seen.request.json);
  BOOST_TEST(seen.request.json->getValue<std::string>("name") == "cc");
  BOOST_TEST(seen.request.json->getValue<Poco::Int64>("port") == 5061);
  BOOST_TEST(seen.request.body == R"({"name":"cc","port":5061})");
  BOOST_TEST(std::any_cast<std::string>(seen.request.principal) == "the caller");
  BOOST_TEST(seen.request.clientAddress == "192.0.2.1");
  const auto echoed = result.extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(echoed->getValue<std::string>("name") == "cc");
}

BOOST_AUTO_TEST_CASE(names_fill_the_placeholder_as_one_segment) {
  const auto result = ok("peers.get", {std::string("a b/../c")});
  BOOST_TEST(seen.request.param("name") == "a b/../c");
  BOOST_TEST(result.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("name") ==
             "a b/../c");
}

BOOST_AUTO_TEST_CASE(api_errors_become_faults_with_status_code_and_field) {
  auto f = fault("peers.update", {std::string("cc"), fields({{"port", Poco::Int64{70000}}})});
  BOOST_TEST(f.code == 422);
  BOOST_TEST(f.message == "validation_failed: port: must be 0..65535");
  f = fault("peers.get", {std::string("ghost")});
  BOOST_TEST(f.code == 404);
  BOOST_TEST(f.message == "not_found: name: no peer");
}

BOOST_AUTO_TEST_CASE(wrong_parameters_are_invalid_params_and_reach_no_handler) {
  const std::vector<std::pair<std::string, Array>> cases{
      {"peers.get", {}},
      {"peers.get", {Poco::Int64{5}}},
      {"peers.get", {std::string()}},
      {"peers.get", {std::string("a"), std::string("b")}},
      {"peers.create", {std::string("x")}},
      {"peers.update", {std::string("x"), std::string("y")}},
      {"calls.get", {Poco::Int64{-1}}},
      {"calls.get", {1.5}},
      {"audit.list", {fields({{"limit", 1.5}})}},
      {"audit.list", {std::string("limit=5")}},
      {"config.import", {fields({})}},
      {"system.listMethods", {std::string("x")}},
      {"system.methodHelp", {}},
  };
  for (const auto& [method, params] : cases) {
    const auto f = fault(method, params);
    BOOST_TEST(f.code == xmlrpc::kInvalidParams, method);
    BOOST_TEST(f.message.starts_with(method + ": "), f.message);
  }
  BOOST_TEST(seen.calls == 0);
}

BOOST_AUTO_TEST_CASE(unknown_methods_and_methods_without_a_route_are_not_found) {
  BOOST_TEST(fault("peers.explode").code == xmlrpc::kMethodNotFound);
  BOOST_TEST(fault("listeners.list").code == xmlrpc::kMethodNotFound);
  BOOST_TEST(fault("system.methodHelp", {std::string("listeners.list")}).code ==
             xmlrpc::kMethodNotFound);
  BOOST_TEST(fault("").code == xmlrpc::kMethodNotFound);
}

BOOST_AUTO_TEST_CASE(settings_sections_are_literal_routes) {
  const auto sip = ok("settings.get", {std::string("sip")}).extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(sip->getValue<int>("t1_ms") == 500);
  BOOST_TEST(seen.request.path == "/api/v1/settings/sip");
  const auto f = fault("settings.get", {std::string("nope")});
  BOOST_TEST(f.code == 404);
}

BOOST_AUTO_TEST_CASE(call_ids_may_be_int_or_digit_string) {
  ok("calls.get", {Poco::Int64{42}});
  BOOST_TEST(seen.request.param("id") == "42");
  ok("calls.get", {std::string("7")});
  BOOST_TEST(seen.request.param("id") == "7");
}

BOOST_AUTO_TEST_CASE(an_optional_struct_becomes_query_parameters) {
  ok("audit.list");
  BOOST_TEST(seen.request.query.empty());
  ok("audit.list", {fields({{"limit", Poco::Int64{5}}, {"before", std::string("9")}})});
  BOOST_TEST(seen.request.query.at("limit") == "5");
  BOOST_TEST(seen.request.query.at("before") == "9");
}

BOOST_AUTO_TEST_CASE(list_methods_answer_the_items_array) {
  const auto items = ok("peers.list").extract<Poco::JSON::Array::Ptr>();
  BOOST_REQUIRE_EQUAL(items->size(), 2U);
  BOOST_TEST(items->getObject(1)->getValue<std::string>("name") == "b");
}

BOOST_AUTO_TEST_CASE(export_is_a_string_and_import_takes_one) {
  BOOST_TEST(ok("config.export").extract<std::string>() == "{\"version\": 1}\n");
  const auto r = ok("config.import", {std::string(R"({"version": 1})")});
  BOOST_TEST(r.extract<Poco::JSON::Object::Ptr>()->getValue<int>("bytes") == 14);
  const auto f = fault("config.import", {std::string("{not json")});
  BOOST_TEST(f.code == 400);
  BOOST_TEST(f.message.starts_with("invalid_json: "));
}

BOOST_AUTO_TEST_CASE(other_exceptions_are_internal_errors_without_details) {
  const auto f = fault("peers.delete", {std::string("x")});
  BOOST_TEST(f.code == xmlrpc::kInternalError);
  BOOST_TEST(f.message == "internal error");
}

BOOST_AUTO_TEST_CASE(introspection_describes_signatures_and_help) {
  const auto sigs = ok("system.methodSignature", {std::string("audit.list")}).extract<Array>();
  BOOST_REQUIRE_EQUAL(sigs.size(), 2U);
  BOOST_TEST(sigs[0].extract<Array>().size() == 1U);
  BOOST_TEST(sigs[0].extract<Array>()[0].extract<std::string>() == "array");
  BOOST_TEST(sigs[1].extract<Array>()[1].extract<std::string>() == "struct");
  const auto update = ok("system.methodSignature", {std::string("peers.update")}).extract<Array>();
  BOOST_REQUIRE_EQUAL(update.size(), 1U);
  std::vector<std::string> types;
  for (const auto& t : update[0].extract<Array>()) types.push_back(t.extract<std::string>());
  BOOST_TEST(types == (std::vector<std::string>{"struct", "string", "struct"}),
             boost::test_tools::per_element());
  const auto help = ok("system.methodHelp", {std::string("peers.get")}).extract<std::string>();
  BOOST_TEST(help.find("(GET /api/v1/peers/{name})") != std::string::npos, help);
  BOOST_TEST(
      !ok("system.methodHelp", {std::string("system.listMethods")}).extract<std::string>().empty());
}

BOOST_AUTO_TEST_SUITE_END()
