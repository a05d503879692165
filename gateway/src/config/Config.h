#pragma once
// The whole configuration of a Callgate node as plain values. One model for
// callgated, callgatectl and the management server; its JSON form is the
// backup format (docs/config.md) and its SQLite form is the live store.

#include <cstdint>
#include <string>
#include <vector>

namespace callgate::config {

struct SystemSettings {
  std::string name = "callgate";
  std::string log_level = "info";  // trace|debug|info|warn|error
  std::string control_socket;      // "" = "<database path>.sock"
  bool operator==(const SystemSettings&) const = default;
};

struct SipSettings {
  std::string user_agent = "Callgate";
  uint32_t max_message_bytes = 65535;
  uint32_t t1_ms = 500;
  uint32_t t2_ms = 4000;
  uint32_t t4_ms = 5000;
  uint32_t session_expires_s = 1800;
  uint32_t min_se_s = 90;
  uint32_t tcp_idle_timeout_s = 600;
  uint32_t ws_ping_interval_s = 30;
  uint32_t max_forwards = 70;
  std::string domain;       // our SIP domain for registrations; "" = any
  std::string dns_servers;  // "ip[:port],..." for RFC 3263 lookups; "" = /etc/resolv.conf
  bool operator==(const SipSettings&) const = default;
};

struct RegistrarSettings {
  uint32_t min_expires_s = 60;
  uint32_t max_expires_s = 3600;
  uint32_t default_expires_s = 600;
  bool operator==(const RegistrarSettings&) const = default;
};

struct TlsSettings {
  std::string certificate_pem;
  std::string private_key_pem;
  std::string ca_bundle_pem;
  bool verify_peers = false;
  bool operator==(const TlsSettings&) const = default;
};

// The media plane: worker threads, RTP ports, NAT traversal, timers, codecs.
struct MediaSettings {
  uint32_t workers = 0;  // media worker threads; 0 = one per core
  uint32_t rtp_port_min = 20000;
  uint32_t rtp_port_max = 39999;
  std::string stun_server;  // "host[:port]" for server-reflexive ICE candidates; "" = none
  std::string turn_server;  // "host[:port]" for relayed ICE candidates; "" = none
  std::string turn_transport = "udp";  // udp|tcp|tls
  std::string turn_username;
  std::string turn_password;
  uint32_t inactivity_timeout_s = 30;  // a leg without media this long ends the call; 0 = never
  uint32_t opus_complexity = 5;        // 0..10, for Opus encoded by the gateway (transcoding)
  uint32_t opus_bitrate = 32000;       // bits/s, 6000..510000
  uint32_t jitter_buffer_max_ms = 200;
  std::string webrtc_codecs = "opus,pcmu,pcma";  // allowed toward browsers, in preference order
  bool operator==(const MediaSettings&) const = default;
};

// An address media sockets bind to; `advertised_address` is what peers are
// told (SDP c= and ICE candidates) when the box sits behind a 1:1 NAT.
struct MediaInterface {
  std::string name;
  std::string address = "127.0.0.1";
  std::string advertised_address;  // "" = address
  bool enabled = true;
  bool operator==(const MediaInterface&) const = default;
};

// The management server (callgate-mgmt): HTTPS only; plain HTTP only redirects.
struct ManagementSettings {
  std::string address = "127.0.0.1";
  uint32_t https_port = 8443;
  uint32_t http_redirect_port = 8080;  // 0 = no redirect listener
  std::string certificate_pem;         // "" = a self-signed one is made on first start
  std::string private_key_pem;
  uint32_t session_idle_timeout_s = 1800;
  uint32_t max_body_bytes = 1024 * 1024;
  // Slow or idle clients: a request must arrive whole within this time, and
  // one client address may hold only so many connections at once.
  uint32_t request_timeout_s = 10;
  uint32_t max_connections_per_address = 64;
  bool operator==(const ManagementSettings&) const = default;
};

struct Listener {
  std::string name;
  std::string transport = "udp";  // udp|tcp|tls|ws|wss
  std::string address = "127.0.0.1";
  uint32_t port = 5060;  // 0 = any free port
  std::string advertised_host;
  bool enabled = true;
  bool operator==(const Listener&) const = default;
};

struct Peer {
  std::string name;
  std::string host;
  uint32_t port = 0;              // 0 = RFC 3263 lookup or the transport's default
  std::string transport = "udp";  // udp|tcp|tls|auto (RFC 3263 NAPTR decides)
  std::string username;
  std::string password;
  std::string realm;
  std::string codecs = "opus,pcmu,pcma";  // allowed audio codecs, in order of preference
  std::string media_encryption = "none";  // none|sdes (RTP/SAVP with a=crypto, RFC 4568)
  std::string media_interface;            // "" = the first enabled one of the peer's family
  bool rtp_latching = true;               // send RTP where the peer's RTP comes from (NAT)
  bool enabled = true;
  bool operator==(const Peer&) const = default;
};

struct Route {
  std::string name;
  int32_t priority = 100;  // lower first
  std::string match_user_prefix;
  std::string match_domain;
  std::string target_type = "peer";  // peer|registered
  std::string peer;
  bool enabled = true;
  bool operator==(const Route&) const = default;
};

// Call Me: the click-to-call buttons shops put on their web pages
// (docs/callme.md). The browser names a button; the button decides where the
// call goes.
struct CallmeSettings {
  bool enabled = true;
  std::string token_secret;        // base64 of 32 random bytes; "" = generated on first start
  uint32_t token_max_ttl_s = 600;  // tokens living longer than this are refused
  uint32_t max_calls_per_ip = 2;   // concurrent Call Me calls from one client address
  bool single_use_tokens = true;   // a token admits one call; presenting it again is refused
  bool operator==(const CallmeSettings&) const = default;
};

struct Button {
  std::string name;  // the button id the widget names: [a-z0-9-]{1,64}
  bool enabled = true;
  std::string destination_type = "peer";  // peer|registered|echo (echo: answered by callgated)
  std::string peer;                       // for destination_type peer
  std::string destination_user;           // Request-URI user the call centre receives
  std::string allowed_origins;  // comma list of exact origins ("https://shop.example"); "*" = any
  bool require_token = true;
  uint32_t max_concurrent_calls = 10;
  uint32_t max_calls_per_minute = 30;
  bool video = false;
  std::string opening_hours;     // "mon-fri 09:00-18:00; sat 10:00-14:00"; "" = always
  std::string timezone = "UTC";  // tz database name the opening hours are in
  std::string closed_message;    // shown by the widget outside the opening hours
  std::string header_prefix = "X-Callme-";
  std::string label;            // the widget's look: button text,
  std::string colour;           // "#rrggbb",
  std::string language = "en";  // and language tag
  bool operator==(const Button&) const = default;
};

// Where callgate-mgmt pushes call events (offered, answered, ended, refused)
// for call-centre software: a signed JSON POST or an XML-RPC methodCall
// (docs/callme.md, "Call events").
struct Webhook {
  std::string name;
  bool enabled = true;
  std::string format = "json";  // json|xmlrpc
  std::string url;              // http:// or https://
  std::string secret;           // HMAC-SHA256 key of the X-Callgate-Signature header
  std::string events = "offered,answered,ended";  // comma list of offered|answered|ended|refused
  std::string buttons;  // comma list of Call Me buttons whose calls are sent; "" = every call
  std::string xmlrpc_method = "callgate.callEvent";  // methodName for format xmlrpc
  uint32_t timeout_ms = 3000;                        // per attempt: connect, send, answer
  uint32_t max_attempts = 6;  // retried with back-off 1 s, 2 s, 4 s ... up to 60 s
  bool verify_tls = true;     // https: check the receiver's certificate
  bool operator==(const Webhook&) const = default;
};

struct Config {
  SystemSettings system;
  SipSettings sip;
  RegistrarSettings registrar;
  TlsSettings tls;
  MediaSettings media;
  ManagementSettings management;
  CallmeSettings callme;
  std::vector<MediaInterface> media_interfaces{MediaInterface{
      .name = "loopback", .address = "127.0.0.1", .advertised_address = "", .enabled = true}};
  std::vector<Listener> listeners;
  std::vector<Peer> peers;
  std::vector<Route> routes;
  std::vector<Button> buttons;
  std::vector<Webhook> webhooks;
  bool operator==(const Config&) const = default;
};

}  // namespace callgate::config
