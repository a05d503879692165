// Files for browsers, outside the API: the Call Me widget, and in the demo
// configuration the demo shop with the backend a shop would run.
//   GET  /callme/callme.js   the widget (--widget-file)
//   GET  /shop, /shop/{file} the demo shop's pages (--shop-dir)
//   GET  /shop/api/config    where the shop's widget connects, which button
//   POST /shop/api/token     a token for the shop's button: the shop backend's job

#include <fstream>
#include <iterator>
#include <sstream>

#include "api/CallmeTokenRequest.h"
#include "api/Guard.h"
#include "api/Resources.h"
#include "http/ApiError.h"

namespace callgate::mgmt::api {
namespace {

using http::ApiError;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ApiError(404, "not_found", "no such file");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Only plain names from the shop folder: no separators, no dot files, so no
// path can leave it.
bool isServableName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string contentTypeOf(const std::string& name) {
  const auto dot = name.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
  if (ext == "html") return "text/html";
  if (ext == "css") return "text/css";
  if (ext == "js") return "application/javascript";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "json") return "application/json";
  if (ext == "wav") return "audio/wav";
  return "application/octet-stream";
}

// Pages may run their own and the widget's scripts (from here), the
// widget's styles (inside its shadow root), WebSocket connections to the
// gateway and media; nothing from elsewhere.
constexpr const char* kShopPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; media-src 'self' blob: mediastream:; connect-src 'self' wss: ws:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

http::Response fileResponse(const std::string& path, const std::string& name) {
  http::Response r;
  r.raw = readFile(path);
  r.contentType = contentTypeOf(name);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", kShopPolicy);
  return r;
}

// The WebSocket URL of the first enabled WSS (else WS) listener.
std::string websocketUrl(const config::Config& c) {
  for (const char* transport : {"wss", "ws"}) {
    for (const auto& l : c.listeners) {
      if (!l.enabled || l.transport != transport) continue;
      std::string host = l.advertised_host.empty() ? l.address : l.advertised_host;
      if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
      return std::string(transport) + "://" + host + ":" + std::to_string(l.port);
    }
  }
  return {};
}

void addShopRoutes(http::Router& router, Services& s) {
  const std::string dir = s.options().shopDir;
  auto page = [dir](const std::string& name) {
    if (!isServableName(name)) throw ApiError(404, "not_found", "no such page");
    return fileResponse(dir + "/" + name, name);
  };
  addRoute(router, s, "GET", "/shop", http::Access::Public, "the demo shop",
           [page](http::Request&, const Principal&) { return page("index.html"); });
  addRoute(router, s, "GET", "/shop/{file}", http::Access::Public, "a file of the demo shop",
           [page](http::Request& r, const Principal&) {
             return page(r.param("file").empty() ? "index.html" : r.param("file"));
           });
  addRoute(router, s, "GET", "/shop/api/config", http::Access::Public,
           "where the demo shop's widget connects", [&s](http::Request&, const Principal&) {
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
             const auto& fixed = s.options().shopWebsocket;
             o->set("websocket_url", fixed.empty() ? websocketUrl(config) : fixed);
             o->set("button", s.options().shopButton);
             return http::Response::of(o);
           });
  // What a shop's backend does with its API key (POST /api/v1/callme/tokens),
  // done here in-process for the demo shop's visitors.
  addRoute(router, s, "POST", "/shop/api/token", http::Access::Public,
           "a token for the demo shop's visitor", [&s](http::Request& r, const Principal&) {
             auto request = parseCallmeTokenRequest(r.bodyObject());
             request.ttlSeconds = 120;
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             return http::Response::of(issueCallmeToken(config, request), 201);
           });
}

}  // namespace

void addWebRoutes(http::Router& router, Services& s) {
  const std::string widget = s.options().widgetFile;
  if (!widget.empty()) {
    addRoute(router, s, "GET", "/callme/callme.js", http::Access::Public, "the Call Me widget",
             [widget](http::Request&, const Principal&) {
               http::Response r;
               r.raw = readFile(widget);
               r.contentType = "application/javascript";
               // Shops embed it from their pages: any origin may load it.
               r.headers.emplace_back("Cache-Control", "max-age=300");
               r.headers.emplace_back("Cross-Origin-Resource-Policy", "cross-origin");
               return r;
             });
  }
  if (!s.options().shopDir.empty()) addShopRoutes(router, s);
}

}  // namespace callgate::mgmt::api
