#include "http/Router.h"

namespace callgate::mgmt::http {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool matches(const Route& route, const std::vector<std::string>& segments,
             std::map<std::string, std::string>* params) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& p = route.segments[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (segments[i].empty()) return false;
      if (params) (*params)[p.substr(1, p.size() - 2)] = segments[i];
    } else if (p != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::string>> splitPath(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty() || path.front() != '/') return std::nullopt;
  size_t start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto raw = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string segment;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '%') {
        segment.push_back(raw[i]);
        continue;
      }
      if (i + 2 >= raw.size()) return std::nullopt;
      const int hi = hexValue(raw[i + 1]);
      const int lo = hexValue(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      segment.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
    if (segment.find('\0') != std::string::npos) return std::nullopt;
    out.push_back(std::move(segment));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  // "/api/v1/peers/" and "/api/v1/peers" are the same resource.
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

void Router::add(Route route) {
  route.segments = splitPath(route.pattern).value_or(std::vector<std::string>{});
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(const std::string& method,
                         const std::vector<std::string>& segments) const {
  RouteMatch m;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!matches(r, segments, &params)) continue;
    m.pathMatched = true;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
  }
  return m;
}

std::string Router::allowedMethods(const std::vector<std::string>& segments) const {
  std::string out;
  for (const auto& r : routes_) {
    if (!matches(r, segments, nullptr)) continue;
    if (out.find(r.method) != std::string::npos) continue;
    out += (out.empty() ? "" : ", ") + r.method;
  }
  return out;
}

}  // namespace callgate::mgmt::http
