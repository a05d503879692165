#include "config/CallmeValidation.h"

#include <set>

#include "callme/Base64.h"
#include "callme/ContextHeaders.h"
#include "callme/OpeningHours.h"
#include "callme/TimeZone.h"

namespace callgate::config {
namespace {

bool isButtonId(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// RFC 3261 §25.1 "user" characters we accept in a Request-URI user part.
bool isSipUser(const std::string& user) {
  if (user.empty() || user.size() > 64) return false;
  for (char c : user) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("-_.!~*'()+").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool isColour(const std::string& c) {
  if (c.empty()) return true;
  if (c.size() != 7 || c[0] != '#') return false;
  for (size_t i = 1; i < 7; ++i) {
    const char x = c[i];
    if (!((x >= '0' && x <= '9') || (x >= 'a' && x <= 'f') || (x >= 'A' && x <= 'F'))) return false;
  }
  return true;
}

// A BCP 47 tag in its common shapes: "en", "de-CH", "zh-Hant-TW".
bool isLanguageTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 35) return false;
  size_t part = 0;
  bool first = true;
  for (char c : tag) {
    if (c == '-') {
      if (part == 0 || (first && part < 2)) return false;
      part = 0;
      first = false;
      continue;
    }
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && !first)) return false;
    if (++part > 8 || (first && part > 3)) return false;
  }
  return part > 0 && !(first && part < 2);
}

bool hasControl(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> splitOrigins(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

bool isValidOrigin(std::string_view origin) {
  std::string_view rest;
  if (origin.starts_with("https://")) {
    rest = origin.substr(8);
  } else if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.size() > 253 + 6) return false;
  std::string_view host = rest;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    for (char c : host) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) return false;
    }
    if (host.empty()) return false;
  } else {
    const auto colon = rest.find(':');
    host = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon);
    if (host.empty() || host.front() == '.' || host.back() == '.') return false;
    for (char c : host) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
    }
  }
  if (rest.empty()) return true;
  if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
  uint32_t port = 0;
  for (char c : rest.substr(1)) {
    if (c < '0' || c > '9') return false;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  return port >= 1 && port <= 65535;
}

void validateCallme(const Config& c, std::vector<ValidationError>& errors) {
  auto error = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message)});
  };
  const auto& s = c.callme;
  if (!s.token_secret.empty()) {
    const auto key = callme::base64Decode(s.token_secret);
    if (!key || key->size() < 16 || key->size() > 128) {
      error("callme.token_secret", "must be base64 of 16..128 bytes (32 random bytes advised)");
    }
  }
  if (s.token_max_ttl_s < 10 || s.token_max_ttl_s > 86400)
    error("callme.token_max_ttl_s", "must be 10..86400");
  if (s.max_calls_per_ip < 1 || s.max_calls_per_ip > 1000)
    error("callme.max_calls_per_ip", "must be 1..1000");

  std::set<std::string> names;
  for (size_t i = 0; i < c.buttons.size(); ++i) {
    const auto& b = c.buttons[i];
    const std::string f = "buttons[" + std::to_string(i) + "]";
    if (!isButtonId(b.name)) error(f + ".name", "must be 1-64 of [a-z0-9-]");
    if (!names.insert(b.name).second) error(f + ".name", "duplicate button name '" + b.name + "'");
    if (b.destination_type == "peer") {
      const Peer* peer = nullptr;
      for (const auto& p : c.peers) {
        if (p.name == b.peer) peer = &p;
      }
      if (!peer) error(f + ".peer", "no peer named '" + b.peer + "'");
    } else if (b.destination_type == "registered" || b.destination_type == "echo") {
      if (!b.peer.empty()) {
        error(f + ".peer", "must be empty when destination_type is " + b.destination_type);
      }
    } else {
      error(f + ".destination_type", "must be peer, registered or echo");
    }
    // An echo button answers inside the gateway: no user to name, but one
    // given must still be a valid user part.
    const bool userOptional = b.destination_type == "echo" && b.destination_user.empty();
    if (!userOptional && !isSipUser(b.destination_user)) {
      error(f + ".destination_user",
            "must be 1-64 characters of a SIP user part ([A-Za-z0-9-_.!~*'()+])");
    }
    const auto origins = splitOrigins(b.allowed_origins);
    if (origins.empty()) {
      error(f + ".allowed_origins", "must list at least one origin (\"https://shop.example\")");
    }
    for (const auto& o : origins) {
      if (o == "*") {
        if (!b.require_token) {
          error(f + ".allowed_origins",
                "\"*\" needs require_token: any page could call without one");
        }
      } else if (!isValidOrigin(o)) {
        error(f + ".allowed_origins",
              "'" + o + "' is not an origin (scheme://host[:port], lower case, no path)");
      }
    }
    if (b.max_concurrent_calls < 1 || b.max_concurrent_calls > 10000)
      error(f + ".max_concurrent_calls", "must be 1..10000");
    if (b.max_calls_per_minute < 1 || b.max_calls_per_minute > 100000)
      error(f + ".max_calls_per_minute", "must be 1..100000");
    std::string why;
    if (!callme::OpeningHours::parse(b.opening_hours, &why)) {
      error(f + ".opening_hours", why + " (e.g. \"mon-fri 09:00-18:00; sat 10:00-14:00\")");
    }
    if (!callme::TimeZone::load(b.timezone)) {
      error(f + ".timezone", "no time zone '" + b.timezone + "' in the tz database");
    }
    if (b.closed_message.size() > 256 || hasControl(b.closed_message))
      error(f + ".closed_message", "must be at most 256 bytes without control characters");
    if (b.header_prefix.empty() || b.header_prefix.size() > 32 ||
        !callme::isValidContextKey(b.header_prefix))
      error(f + ".header_prefix", "must be 1-32 of [A-Za-z0-9-]");
    if (b.label.size() > 64 || hasControl(b.label))
      error(f + ".label", "must be at most 64 bytes without control characters");
    if (!isColour(b.colour)) error(f + ".colour", "must be empty or #rrggbb");
    if (!isLanguageTag(b.language))
      error(f + ".language", "must be a language tag like en or de-CH");
  }
}

}  // namespace callgate::config
