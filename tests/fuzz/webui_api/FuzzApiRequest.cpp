// Fuzzes the REST request path of callgate-mgmt short of the handlers:
// splitting and matching a request line against the real route table, and
// turning a JSON body into the configuration object the matched route takes.
// Input: "<METHOD> <path>\n<body>".
//
// Checked: a match names the route's method and fills exactly its
// placeholders with the request's segments; a body is an object or a 400;
// whatever applies cleanly to an object exports and applies again to the
// same object (what GET then PUT relies on).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "api/Resources.h"
#include "api/Services.h"
#include "config/ConfigJson.h"
#include "config/ConfigStore.h"
#include "core/Clock.h"
#include "core/Log.h"
#include "http/Json.h"
#include "http/Router.h"
#include "rpc/Endpoint.h"

namespace {

using namespace callgate;

void check(bool ok) {
  if (!ok) std::abort();
}

struct Table {
  Table() {
    core::log::setLevel(core::log::Level::Error);
    config::ConfigStore::open(db, config::ConfigStore::Mode::ReadWrite);
    mgmt::api::ServicesOptions o;
    o.dbPath = db;
    services = std::make_unique<mgmt::api::Services>(o, core::SystemClock::instance());
    router = mgmt::api::buildRouter(*services);
    mgmt::rpc::addXmlRpcRoute(router, *services);
  }
  ~Table() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  }
  std::string db = (std::filesystem::temp_directory_path() /
                    ("cg-fuzz-api-" + std::to_string(::getpid()) + ".db"))
                       .string();
  std::unique_ptr<mgmt::api::Services> services;
  mgmt::http::Router router;
};

Table& table() {
  static Table t;
  return t;
}

template <typename T>
void roundTrip(const Poco::JSON::Object::Ptr& body) {
  T value{};
  if (!config::applyJson(body, "", value).empty()) return;
  const auto exported = config::toJsonObject(value, false);
  T again{};
  check(config::applyJson(exported, "", again).empty());
  check(again == value);
  check(mgmt::http::stringify(config::toJsonObject(again, false)) ==
        mgmt::http::stringify(exported));
}

// The configuration type a route's body fills; the selector picks one when
// the route takes none, so every type sees every body.
void applyBody(const std::string& pattern, unsigned char selector,
               const Poco::JSON::Object::Ptr& body) {
  const auto has = [&](const char* part) { return pattern.find(part) != std::string::npos; };
  if (has("/peers")) return roundTrip<config::Peer>(body);
  if (has("/listeners")) return roundTrip<config::Listener>(body);
  if (has("/routes")) return roundTrip<config::Route>(body);
  if (has("/media_interfaces")) return roundTrip<config::MediaInterface>(body);
  if (has("/settings/sip")) return roundTrip<config::SipSettings>(body);
  if (has("/settings/media")) return roundTrip<config::MediaSettings>(body);
  switch (selector % 6) {
    case 0:
      return roundTrip<config::SystemSettings>(body);
    case 1:
      return roundTrip<config::RegistrarSettings>(body);
    case 2:
      return roundTrip<config::TlsSettings>(body);
    case 3:
      return roundTrip<config::ManagementSettings>(body);
    case 4:
      return roundTrip<config::Peer>(body);
    default:
      return roundTrip<config::Route>(body);
  }
}

void checkMatch(const mgmt::http::Router& router, const std::string& method,
                const std::vector<std::string>& segments) {
  const auto m = router.match(method, segments);
  if (!m.route) {
    if (m.pathMatched) check(!router.allowedMethods(segments).empty());
    return;
  }
  check(m.pathMatched);
  check(m.route->method == method);
  check(m.route->segments.size() == segments.size());
  size_t placeholders = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& p = m.route->segments[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      ++placeholders;
      check(!segments[i].empty());
      check(m.params.at(p.substr(1, p.size() - 2)) == segments[i]);
    } else {
      check(p == segments[i]);
    }
  }
  check(m.params.size() == placeholders);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const auto line = input.substr(0, newline);
  const auto body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  const auto space = line.find(' ');
  const std::string method(line.substr(0, space));
  const std::string_view path =
      space == std::string_view::npos ? std::string_view() : line.substr(space + 1);

  const auto& router = table().router;
  std::string pattern;
  if (const auto segments = mgmt::http::splitPath(path)) {
    // No segment may hold a NUL, whatever the encoding.
    for (const auto& s : *segments) check(s.find('\0') == std::string::npos);
    checkMatch(router, method, *segments);
    if (const auto m = router.match(method, *segments); m.route) pattern = m.route->pattern;
  }
  if (body.empty()) return 0;
  Poco::JSON::Object::Ptr object;
  try {
    object = mgmt::http::parseObject(std::string(body));
  } catch (const mgmt::http::ApiError& e) {
    check(e.status() == 400);
    return 0;
  }
  check(!object.isNull());
  applyBody(pattern, size > 0 ? data[0] : 0, object);
  return 0;
}
