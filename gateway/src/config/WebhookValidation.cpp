#include "config/WebhookValidation.h"

#include <set>

namespace callgate::config {
namespace {

bool isWebhookName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

// http(s)://host[:port][/path]: printable ASCII without blanks, quotes or
// angle brackets (RFC 3986 characters), so it goes on a request line as is.
bool isHttpUrl(const std::string& url) {
  const std::string_view u(url);
  std::string_view rest;
  if (u.starts_with("http://")) {
    rest = u.substr(7);
  } else if (u.starts_with("https://")) {
    rest = u.substr(8);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == ':' || url.size() > 2048) return false;
  for (char c : url) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`')
      return false;
  }
  return true;
}

bool isXmlRpcMethod(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> splitList(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

void validateWebhooks(const Config& c, std::vector<ValidationError>& errors) {
  auto error = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message)});
  };
  static const std::set<std::string, std::less<>> kEvents{"offered", "answered", "ended",
                                                          "refused"};
  std::set<std::string> names;
  for (size_t i = 0; i < c.webhooks.size(); ++i) {
    const auto& w = c.webhooks[i];
    const std::string f = "webhooks[" + std::to_string(i) + "]";
    if (!isWebhookName(w.name)) error(f + ".name", "must be 1-64 of [a-z0-9-_]");
    if (!names.insert(w.name).second) error(f + ".name", "duplicate webhook name '" + w.name + "'");
    if (w.format != "json" && w.format != "xmlrpc") error(f + ".format", "must be json or xmlrpc");
    if (!isHttpUrl(w.url)) {
      error(f + ".url", "must be an http:// or https:// URL without blanks (at most 2048 bytes)");
    }
    // A JSON receiver has nothing else to tell our events from forged ones.
    if (w.format == "json" && w.secret.size() < 16) {
      error(f + ".secret", "must be at least 16 characters: receivers check the signature");
    }
    if (w.secret.size() > 256) error(f + ".secret", "too long (max 256)");
    const auto events = splitList(w.events);
    if (events.empty()) error(f + ".events", "must name at least one event");
    for (const auto& e : events) {
      if (!kEvents.contains(e)) {
        error(f + ".events", "unknown event '" + e + "' (offered, answered, ended, refused)");
      }
    }
    for (const auto& b : splitList(w.buttons)) {
      bool known = false;
      for (const auto& button : c.buttons) known = known || button.name == b;
      if (!known) error(f + ".buttons", "no button named '" + b + "'");
    }
    if (!isXmlRpcMethod(w.xmlrpc_method)) {
      error(f + ".xmlrpc_method", "must be 1-128 of [A-Za-z0-9._:/]");
    }
    if (w.timeout_ms < 100 || w.timeout_ms > 30000) error(f + ".timeout_ms", "must be 100..30000");
    if (w.max_attempts < 1 || w.max_attempts > 20) error(f + ".max_attempts", "must be 1..20");
  }
}

}  // namespace callgate::config
