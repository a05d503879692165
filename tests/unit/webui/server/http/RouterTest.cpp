#include <boost/test/unit_test.hpp>

#include "http/Router.h"

using namespace callgate::mgmt::http;

namespace {
Route route(const std::string& method, const std::string& pattern, int tag) {
  Route r;
  r.method = method;
  r.pattern = pattern;
  r.handler = [tag](Request&) { return Response::of(tag); };
  return r;
}
int run(const RouteMatch& m) {
  Request r;
  return m.route->handler(r).json.convert<int>();
}
std::vector<std::string> segs(const char* path) {
  return splitPath(path).value();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(split_path_decodes_each_segment) {
  BOOST_TEST(segs("/api/v1/peers") == (std::vector<std::string>{"api", "v1", "peers"}));
  BOOST_TEST(segs("/api/v1/peers/") == (std::vector<std::string>{"api", "v1", "peers"}));
  // An encoded slash stays inside its segment: it cannot climb directories.
  BOOST_TEST(segs("/p/..%2F..%2Fetc") == (std::vector<std::string>{"p", "../../etc"}));
  BOOST_TEST(segs("/p/a%20b%27") == (std::vector<std::string>{"p", "a b'"}));
  BOOST_TEST(segs("/") == (std::vector<std::string>{}));
  BOOST_TEST(!splitPath("/p/%zz"));
  BOOST_TEST(!splitPath("/p/%2"));
  BOOST_TEST(!splitPath("/p/%"));
  BOOST_TEST(!splitPath("/p/a%00b"));
  BOOST_TEST(!splitPath("relative"));
  BOOST_TEST(!splitPath(""));
}

BOOST_AUTO_TEST_CASE(matches_method_literals_and_placeholders) {
  Router r;
  r.add(route("GET", "/api/v1/peers", 1));
  r.add(route("POST", "/api/v1/peers", 2));
  r.add(route("GET", "/api/v1/peers/{name}", 3));
  r.add(route("DELETE", "/api/v1/peers/{name}", 4));
  r.add(route("GET", "/api/v1/settings/sip", 5));
  BOOST_TEST(run(r.match("GET", segs("/api/v1/peers"))) == 1);
  BOOST_TEST(run(r.match("POST", segs("/api/v1/peers"))) == 2);
  const auto one = r.match("DELETE", segs("/api/v1/peers/cc%2Dwest"));
  BOOST_TEST(run(one) == 4);
  BOOST_TEST(one.params.at("name") == "cc-west");
  BOOST_TEST(run(r.match("GET", segs("/api/v1/settings/sip"))) == 5);

  const auto wrongMethod = r.match("PUT", segs("/api/v1/peers"));
  BOOST_TEST(!wrongMethod.route);
  BOOST_TEST(wrongMethod.pathMatched);
  BOOST_TEST(r.allowedMethods(segs("/api/v1/peers")) == "GET, POST");

  for (const char* path : {"/api/v1/peers/a/b", "/api/v1", "/api/v2/peers", "/api/v1/settings/x",
                           "/api/v1/peers/../users"}) {
    const auto m = r.match("GET", segs(path));
    BOOST_TEST(!m.route, path);
    BOOST_TEST(!m.pathMatched, path);
  }
  BOOST_TEST(r.routes().size() == 5U);
}

BOOST_AUTO_TEST_SUITE_END()
