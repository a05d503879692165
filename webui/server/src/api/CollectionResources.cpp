// listeners, peers, routes, media_interfaces, buttons, webhooks: collections of named objects.
//   GET    /api/v1/<collection>          list
//   POST   /api/v1/<collection>          create (201)
//   GET    /api/v1/<collection>/{name}   read
//   PUT    /api/v1/<collection>/{name}   replace (absent fields take defaults)
//   PATCH  /api/v1/<collection>/{name}   change the fields given
//   DELETE /api/v1/<collection>/{name}   remove

#include <algorithm>

#include "api/AuditDetail.h"
#include "api/ConfigChange.h"
#include "api/Guard.h"
#include "api/ObjectJson.h"
#include "api/Resources.h"

namespace callgate::mgmt::api {
namespace {

using http::Access;
using http::ApiError;
using http::Request;
using http::Response;

template <typename T>
struct Collection {
  std::string name;      // "peers"
  std::string singular;  // "peer", for messages
  std::vector<T> config::Config::*items;
};

template <typename T>
size_t indexOf(const Collection<T>& c, const config::Config& config, const std::string& name) {
  const auto& items = config.*(c.items);
  const auto it =
      std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == name; });
  if (it == items.end()) {
    throw ApiError(404, "not_found", "no " + c.singular + " named '" + name + "'", "name");
  }
  return static_cast<size_t>(it - items.begin());
}

template <typename T>
std::string prefixOf(const Collection<T>& c, size_t index) {
  return c.name + "[" + std::to_string(index) + "].";
}

template <typename T>
void addCollection(http::Router& router, Services& s, const Collection<T>& c) {
  const std::string base = std::string(kApiBase) + "/" + c.name;
  const std::string item = base + "/{name}";

  addRoute(router, s, "GET", base, Access::Read, "list " + c.name,
           [&s, c](Request&, const Principal&) {
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
             for (const auto& x : config.*(c.items)) list->add(config::toJsonObject(x, true));
             Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
             out->set("items", list);
             return Response::of(out);
           });

  addRoute(router, s, "GET", item, Access::Read, "read one " + c.singular,
           [&s, c](Request& r, const Principal&) {
             const auto config = s.withStore([](config::ConfigStore& st) { return st.load(); });
             const auto& x = (config.*(c.items))[indexOf(c, config, r.param("name"))];
             return Response::of(config::toJsonObject(x, true));
           });

  addRoute(
      router, s, "POST", base, Access::Admin, "create a " + c.singular,
      [&s, c](Request& r, const Principal& who) {
        r.bodyObject();
        T x{};
        applyBody(r.json, x);
        if (!r.json->has("name")) throw ApiError(400, "missing_field", "is required", "name");
        Poco::JSON::Object::Ptr shown;
        auto out = changeConfig(s, who, "create", c.name + "/" + x.name, [&](config::Config& cfg) {
          auto& items = cfg.*(c.items);
          for (const auto& existing : items) {
            if (existing.name == x.name) {
              throw ApiError(409, "conflict", c.singular + " '" + x.name + "' exists", "name");
            }
          }
          items.push_back(x);
          shown = config::toJsonObject(x, true);
          return Mutation{diffDetail(nullptr, config::toJsonObject(x, false)),
                          prefixOf(c, items.size() - 1)};
        });
        out->set("item", shown);
        return Response::of(out, 201);
      });

  // PUT replaces, PATCH merges; both keep write-only values unless given.
  for (const bool replace : {true, false}) {
    addRoute(
        router, s, replace ? "PUT" : "PATCH", item, Access::Admin,
        (replace ? "replace a " : "change fields of a ") + c.singular,
        [&s, c, replace](Request& r, const Principal& who) {
          r.bodyObject();
          const std::string name = r.param("name");
          Poco::JSON::Object::Ptr shown;
          auto out = changeConfig(s, who, "update", c.name + "/" + name, [&](config::Config& cfg) {
            const size_t i = indexOf(c, cfg, name);
            auto& current = (cfg.*(c.items))[i];
            T next = replace ? withSecretsOf(current) : current;
            applyBody(r.json, next);
            if (replace && !r.json->has("name")) next.name = name;
            if (next.name != name) {
              throw ApiError(400, "invalid_field", "must match the name in the URL", "name");
            }
            const auto detail =
                diffDetail(config::toJsonObject(current, false), config::toJsonObject(next, false));
            current = next;
            shown = config::toJsonObject(next, true);
            return Mutation{detail, prefixOf(c, i)};
          });
          out->set("item", shown);
          return Response::of(out);
        });
  }

  addRoute(router, s, "DELETE", item, Access::Admin, "remove a " + c.singular,
           [&s, c](Request& r, const Principal& who) {
             const std::string name = r.param("name");
             auto out =
                 changeConfig(s, who, "delete", c.name + "/" + name, [&](config::Config& cfg) {
                   auto& items = cfg.*(c.items);
                   const size_t i = indexOf(c, cfg, name);
                   const auto detail = diffDetail(config::toJsonObject(items[i], false), nullptr);
                   items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
                   return Mutation{detail, ""};
                 });
             return Response::of(out);
           });
}

}  // namespace

void addCollectionRoutes(http::Router& router, Services& services) {
  addCollection(router, services,
                Collection<config::Listener>{"listeners", "listener", &config::Config::listeners});
  addCollection(router, services,
                Collection<config::Peer>{"peers", "peer", &config::Config::peers});
  addCollection(router, services,
                Collection<config::Route>{"routes", "route", &config::Config::routes});
  addCollection(router, services,
                Collection<config::MediaInterface>{"media_interfaces", "media interface",
                                                   &config::Config::media_interfaces});
  addCollection(router, services,
                Collection<config::Button>{"buttons", "button", &config::Config::buttons});
  addCollection(router, services,
                Collection<config::Webhook>{"webhooks", "webhook", &config::Config::webhooks});
}

}  // namespace callgate::mgmt::api
