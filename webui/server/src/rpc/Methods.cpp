#include "rpc/Methods.h"

#include <algorithm>

namespace callgate::mgmt::rpc {
namespace {

const std::string kBase = "/api/v1";

void addCollection(std::vector<MethodSpec>& t, const std::string& name, const std::string& what,
                   bool replace) {
  const std::string base = kBase + "/" + name;
  const std::string item = base + "/{name}";
  t.push_back({name + ".list", "GET", base, {}, "array", "every " + what});
  t.push_back({name + ".get", "GET", item, {Arg::Name}, "struct", "one " + what + " by name"});
  t.push_back({name + ".create",
               "POST",
               base,
               {Arg::Body},
               "struct",
               "create a " + what + " from a struct of its fields"});
  t.push_back({name + ".update",
               "PATCH",
               item,
               {Arg::Name, Arg::Body},
               "struct",
               "change the fields given of a " + what});
  if (replace) {
    t.push_back({name + ".replace",
                 "PUT",
                 item,
                 {Arg::Name, Arg::Body},
                 "struct",
                 "replace a " + what + " (absent fields take defaults)"});
  }
  t.push_back({name + ".delete", "DELETE", item, {Arg::Name}, "struct", "remove a " + what});
}

std::vector<MethodSpec> build() {
  std::vector<MethodSpec> t;
  addCollection(t, "listeners", "SIP listener", true);
  addCollection(t, "peers", "peer (SIP trunk)", true);
  addCollection(t, "routes", "route", true);
  addCollection(t, "media_interfaces", "media interface", true);
  addCollection(t, "buttons", "Call Me button", true);
  addCollection(t, "webhooks", "webhook for call events", true);
  t.push_back({"callme.token",
               "POST",
               kBase + "/callme/tokens",
               {Arg::Body},
               "struct",
               "a Call Me token: {button, ttl_s, customer_id, order_id, data}"});
  addCollection(t, "users", "user of the management server", false);
  t.push_back({"api_keys.list",
               "GET",
               kBase + "/api_keys",
               {},
               "struct",
               "API keys (never the keys themselves)"});
  t.push_back({"api_keys.create",
               "POST",
               kBase + "/api_keys",
               {Arg::Body},
               "struct",
               "create an API key {name, role}; the key is in the answer, once"});
  t.push_back({"api_keys.delete",
               "DELETE",
               kBase + "/api_keys/{name}",
               {Arg::Name},
               "struct",
               "revoke an API key"});
  const std::string settings = kBase + "/settings/{section}";
  t.push_back({"settings.get",
               "GET",
               settings,
               {Arg::Name},
               "struct",
               "a settings section: system, sip, registrar, tls, media, management or callme"});
  t.push_back({"settings.update",
               "PATCH",
               settings,
               {Arg::Name, Arg::Body},
               "struct",
               "change the fields given of a settings section"});
  t.push_back({"settings.replace",
               "PUT",
               settings,
               {Arg::Name, Arg::Body},
               "struct",
               "replace a settings section (absent fields take defaults)"});
  t.push_back({"calls.list", "GET", kBase + "/calls", {}, "array", "calls in progress"});
  t.push_back({"calls.get",
               "GET",
               kBase + "/calls/{id}",
               {Arg::Id},
               "struct",
               "one call in progress by id"});
  t.push_back({"calls.hangup",
               "DELETE",
               kBase + "/calls/{id}",
               {Arg::Id},
               "struct",
               "hang up a call by id"});
  t.push_back(
      {"registrations.list", "GET", kBase + "/registrations", {}, "struct", "registered users"});
  t.push_back({"status", "GET", kBase + "/status", {}, "struct", "callgated status and counters"});
  t.push_back({"statistics",
               "GET",
               kBase + "/statistics",
               {},
               "struct",
               "callgated counters grouped by subsystem"});
  t.push_back({"events.list",
               "GET",
               kBase + "/events",
               {Arg::Query},
               "struct",
               "recent events, oldest first; optional struct {since, limit}"});
  t.push_back({"audit.list",
               "GET",
               kBase + "/audit",
               {Arg::Query},
               "struct",
               "the audit log, newest first; optional struct {limit, before}"});
  t.push_back({"config.export",
               "GET",
               kBase + "/backup",
               {},
               "string",
               "the whole configuration as a JSON document (callgatectl export)"});
  t.push_back({"config.import",
               "POST",
               kBase + "/restore",
               {Arg::Document},
               "struct",
               "replace the whole configuration with an exported JSON document"});
  t.push_back(
      {"certificates.list", "GET", kBase + "/certificates", {}, "struct", "the TLS certificates"});
  t.push_back({"certificates.get",
               "GET",
               kBase + "/certificates/{name}",
               {Arg::Name},
               "struct",
               "describe a TLS certificate: management or sip"});
  t.push_back({"certificates.update",
               "PUT",
               kBase + "/certificates/{name}",
               {Arg::Name, Arg::Body},
               "struct",
               "replace a TLS certificate: {certificate_pem, private_key_pem} or "
               "{pkcs12_base64, password}"});
  // The *.list methods answer the array of items itself.
  for (auto& m : t) {
    if (m.name.ends_with(".list")) m.result = "array";
  }
  std::sort(t.begin(), t.end(),
            [](const MethodSpec& a, const MethodSpec& b) { return a.name < b.name; });
  return t;
}

std::string typeOf(Arg a) {
  switch (a) {
    case Arg::Id:
      return "int";
    case Arg::Body:
    case Arg::Query:
      return "struct";
    case Arg::Name:
    case Arg::Document:
      break;
  }
  return "string";
}

}  // namespace

const std::vector<MethodSpec>& methodTable() {
  static const std::vector<MethodSpec> table = build();
  return table;
}

const MethodSpec* findMethod(std::string_view name) {
  const auto& t = methodTable();
  const auto it = std::lower_bound(
      t.begin(), t.end(), name, [](const MethodSpec& m, std::string_view n) { return m.name < n; });
  return it != t.end() && it->name == name ? &*it : nullptr;
}

std::vector<std::vector<std::string>> signaturesOf(const MethodSpec& spec) {
  std::vector<std::string> full{spec.result};
  for (const Arg a : spec.args) full.push_back(typeOf(a));
  if (!spec.args.empty() && spec.args.back() == Arg::Query) {
    std::vector<std::string> shorter(full.begin(), full.end() - 1);
    return {shorter, full};
  }
  return {full};
}

}  // namespace callgate::mgmt::rpc
