#include "config/Validation.h"

#include <arpa/inet.h>
#include <openssl/pem.h>

#include <cctype>
#include <memory>
#include <set>
#include <tuple>

#include "config/CallmeValidation.h"
#include "config/MediaValidation.h"
#include "config/WebhookValidation.h"

namespace callgate::config {
namespace {

bool validName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
      return false;
  }
  return true;
}

bool isIpLiteral(const std::string& text) {
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

bool validHostName(const std::string& host) {
  if (host.empty() || host.size() > 253) return false;
  size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

bool parsesAs(const std::string& pem, bool key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (key) {
    EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (k) EVP_PKEY_free(k);
    return k != nullptr;
  }
  X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (c) X509_free(c);
  return c != nullptr;
}

void validateManagement(const ManagementSettings& m, std::vector<ValidationError>& errors) {
  auto error = [&](std::string field, std::string message) {
    errors.push_back({"management." + std::move(field), std::move(message)});
  };
  if (!isIpLiteral(m.address)) error("address", "must be an IPv4 or IPv6 address");
  if (m.https_port < 1 || m.https_port > 65535) error("https_port", "must be 1..65535");
  if (m.http_redirect_port > 65535) {
    error("http_redirect_port", "must be 0..65535");
  } else if (m.http_redirect_port == m.https_port) {
    error("http_redirect_port", "must differ from https_port");
  }
  // Both or neither: empty means callgate-mgmt makes a self-signed pair.
  if (m.certificate_pem.empty() != m.private_key_pem.empty()) {
    error(m.certificate_pem.empty() ? "certificate_pem" : "private_key_pem",
          "certificate_pem and private_key_pem go together");
  }
  if (!m.certificate_pem.empty() && !parsesAs(m.certificate_pem, false)) {
    error("certificate_pem", "is not a PEM certificate");
  }
  if (!m.private_key_pem.empty() && !parsesAs(m.private_key_pem, true)) {
    error("private_key_pem", "is not a PEM private key");
  }
  if (m.session_idle_timeout_s < 60 || m.session_idle_timeout_s > 86400) {
    error("session_idle_timeout_s", "must be 60..86400");
  }
  if (m.max_body_bytes < 1024 || m.max_body_bytes > 16 * 1024 * 1024) {
    error("max_body_bytes", "must be 1024..16777216");
  }
  if (m.request_timeout_s < 1 || m.request_timeout_s > 300) {
    error("request_timeout_s", "must be 1..300");
  }
  if (m.max_connections_per_address < 1 || m.max_connections_per_address > 100000) {
    error("max_connections_per_address", "must be 1..100000");
  }
}

}  // namespace

std::vector<ValidationError> validate(const Config& c) {
  std::vector<ValidationError> errors;
  auto error = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message)});
  };

  static const std::set<std::string> kLevels{"trace", "debug", "info", "warn", "error"};
  if (c.system.name.empty() || c.system.name.size() > 64)
    error("system.name", "must be 1-64 characters");
  if (!kLevels.contains(c.system.log_level)) {
    error("system.log_level", "must be one of trace, debug, info, warn, error");
  }
  if (c.system.control_socket.size() > 100) {
    error("system.control_socket", "path too long for a Unix socket (max 100)");
  }

  const auto& s = c.sip;
  if (s.user_agent.empty() || s.user_agent.size() > 128)
    error("sip.user_agent", "must be 1-128 characters");
  if (s.max_message_bytes < 1024 || s.max_message_bytes > 1048576) {
    error("sip.max_message_bytes", "must be 1024..1048576");
  }
  if (s.t1_ms < 50 || s.t1_ms > 10000) error("sip.t1_ms", "must be 50..10000");
  if (s.t2_ms < s.t1_ms || s.t2_ms > 60000) error("sip.t2_ms", "must be t1_ms..60000");
  if (s.t4_ms < 1000 || s.t4_ms > 60000) error("sip.t4_ms", "must be 1000..60000");
  if (s.min_se_s < 90) error("sip.min_se_s", "must be at least 90 (RFC 4028)");
  if (s.session_expires_s < s.min_se_s || s.session_expires_s > 86400) {
    error("sip.session_expires_s", "must be min_se_s..86400");
  }
  if (s.tcp_idle_timeout_s < 10 || s.tcp_idle_timeout_s > 86400) {
    error("sip.tcp_idle_timeout_s", "must be 10..86400");
  }
  if (s.ws_ping_interval_s < 1 || s.ws_ping_interval_s > 3600) {
    error("sip.ws_ping_interval_s", "must be 1..3600");
  }
  if (s.max_forwards < 1 || s.max_forwards > 255) error("sip.max_forwards", "must be 1..255");
  if (!s.domain.empty() && !validHostName(s.domain) && !isIpLiteral(s.domain)) {
    error("sip.domain", "must be a host name or IP address");
  }

  if (!s.dns_servers.empty()) {
    size_t start = 0;
    while (start <= s.dns_servers.size()) {
      const auto comma = s.dns_servers.find(',', start);
      std::string entry = s.dns_servers.substr(
          start, comma == std::string::npos ? std::string::npos : comma - start);
      std::string ip = entry;
      std::string port;
      if (!entry.empty() && entry.front() == '[') {
        const auto close = entry.find(']');
        ip = close == std::string::npos ? "" : entry.substr(1, close - 1);
        if (close != std::string::npos && close + 1 < entry.size()) port = entry.substr(close + 2);
      } else if (entry.find(':') == entry.rfind(':') && entry.find(':') != std::string::npos) {
        ip = entry.substr(0, entry.find(':'));
        port = entry.substr(entry.find(':') + 1);
      }
      const bool portOk =
          port.empty() ||
          (port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
           std::stoul(port) > 0 && std::stoul(port) <= 65535);
      if (!isIpLiteral(ip) || !portOk) {
        error("sip.dns_servers", "'" + entry + "' is not an ip[:port] (IPv6 as [ip]:port)");
        break;
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }

  const auto& r = c.registrar;
  if (r.min_expires_s < 1) error("registrar.min_expires_s", "must be at least 1");
  if (r.max_expires_s < r.min_expires_s)
    error("registrar.max_expires_s", "must be >= min_expires_s");
  if (r.default_expires_s < r.min_expires_s || r.default_expires_s > r.max_expires_s) {
    error("registrar.default_expires_s", "must be between min_expires_s and max_expires_s");
  }

  bool needsCertificate = false;
  std::set<std::string> names;
  std::set<std::tuple<std::string, std::string, uint32_t>> endpoints;
  static const std::set<std::string> kListenerTransports{"udp", "tcp", "tls", "ws", "wss"};
  for (size_t i = 0; i < c.listeners.size(); ++i) {
    const auto& l = c.listeners[i];
    const std::string f = "listeners[" + std::to_string(i) + "]";
    if (!validName(l.name)) error(f + ".name", "must be 1-64 of [A-Za-z0-9_.-]");
    if (!names.insert(l.name).second)
      error(f + ".name", "duplicate listener name '" + l.name + "'");
    if (!kListenerTransports.contains(l.transport)) {
      error(f + ".transport", "must be one of udp, tcp, tls, ws, wss");
    }
    if (!isIpLiteral(l.address)) error(f + ".address", "must be an IPv4 or IPv6 address");
    if (l.port > 65535) error(f + ".port", "must be 0..65535");
    if (!l.advertised_host.empty() && !validHostName(l.advertised_host) &&
        !isIpLiteral(l.advertised_host)) {
      error(f + ".advertised_host", "must be a host name or IP address");
    }
    // UDP and TCP may share a port number; the same transport may not.
    const std::string family = l.transport == "udp" ? "udp" : "stream";
    if (l.enabled && l.port != 0 && !endpoints.insert({family, l.address, l.port}).second) {
      error(f + ".port",
            "another enabled listener uses " + l.address + ":" + std::to_string(l.port));
    }
    if (l.enabled && (l.transport == "tls" || l.transport == "wss")) needsCertificate = true;
  }
  if (needsCertificate && (c.tls.certificate_pem.empty() || c.tls.private_key_pem.empty())) {
    error("tls.certificate_pem", "a TLS or WSS listener needs a certificate and private key");
  }
  if (!c.tls.certificate_pem.empty() && !parsesAs(c.tls.certificate_pem, false)) {
    error("tls.certificate_pem", "is not a PEM certificate");
  }
  if (!c.tls.private_key_pem.empty() && !parsesAs(c.tls.private_key_pem, true)) {
    error("tls.private_key_pem", "is not a PEM private key");
  }
  if (!c.tls.ca_bundle_pem.empty() && !parsesAs(c.tls.ca_bundle_pem, false)) {
    error("tls.ca_bundle_pem", "is not a PEM certificate bundle");
  }

  names.clear();
  static const std::set<std::string> kPeerTransports{"udp", "tcp", "tls", "auto"};
  for (size_t i = 0; i < c.peers.size(); ++i) {
    const auto& p = c.peers[i];
    const std::string f = "peers[" + std::to_string(i) + "]";
    if (!validName(p.name)) error(f + ".name", "must be 1-64 of [A-Za-z0-9_.-]");
    if (!names.insert(p.name).second) error(f + ".name", "duplicate peer name '" + p.name + "'");
    if (!isIpLiteral(p.host) && !validHostName(p.host))
      error(f + ".host", "must be a host name or IP address");
    if (p.port > 65535) error(f + ".port", "must be 0..65535");
    if (!kPeerTransports.contains(p.transport))
      error(f + ".transport", "must be one of udp, tcp, tls, auto");
    if (p.username.size() > 128) error(f + ".username", "too long (max 128)");
    if (p.password.size() > 128) error(f + ".password", "too long (max 128)");
    if (!p.password.empty() && p.username.empty())
      error(f + ".username", "required with a password");
  }

  std::set<std::string> routeNames;
  for (size_t i = 0; i < c.routes.size(); ++i) {
    const auto& rt = c.routes[i];
    const std::string f = "routes[" + std::to_string(i) + "]";
    if (!validName(rt.name)) error(f + ".name", "must be 1-64 of [A-Za-z0-9_.-]");
    if (!routeNames.insert(rt.name).second)
      error(f + ".name", "duplicate route name '" + rt.name + "'");
    if (rt.match_user_prefix.size() > 64) error(f + ".match_user_prefix", "too long (max 64)");
    if (!rt.match_domain.empty() && !validHostName(rt.match_domain) &&
        !isIpLiteral(rt.match_domain)) {
      error(f + ".match_domain", "must be a host name or IP address");
    }
    if (rt.target_type == "peer") {
      if (!names.contains(rt.peer)) error(f + ".peer", "no peer named '" + rt.peer + "'");
    } else if (rt.target_type == "registered") {
      if (!rt.peer.empty()) error(f + ".peer", "must be empty when target_type is registered");
    } else {
      error(f + ".target_type", "must be peer or registered");
    }
  }
  validateMedia(c, errors);
  validateManagement(c.management, errors);
  validateCallme(c, errors);
  validateWebhooks(c, errors);
  return errors;
}

std::string formatErrors(const std::vector<ValidationError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.field + ": " + e.message + "\n";
  return out;
}

}  // namespace callgate::config
