#include "config/ConfigFields.h"

namespace callgate::config {

const std::vector<Field<SystemSettings>>& systemFields() {
  static const std::vector<Field<SystemSettings>> f{
      {"name", &SystemSettings::name},
      {"log_level", &SystemSettings::log_level},
      {"control_socket", &SystemSettings::control_socket},
  };
  return f;
}

const std::vector<Field<SipSettings>>& sipFields() {
  static const std::vector<Field<SipSettings>> f{
      {"user_agent", &SipSettings::user_agent},
      {"max_message_bytes", &SipSettings::max_message_bytes},
      {"t1_ms", &SipSettings::t1_ms},
      {"t2_ms", &SipSettings::t2_ms},
      {"t4_ms", &SipSettings::t4_ms},
      {"session_expires_s", &SipSettings::session_expires_s},
      {"min_se_s", &SipSettings::min_se_s},
      {"tcp_idle_timeout_s", &SipSettings::tcp_idle_timeout_s},
      {"ws_ping_interval_s", &SipSettings::ws_ping_interval_s},
      {"max_forwards", &SipSettings::max_forwards},
      {"domain", &SipSettings::domain},
      {"dns_servers", &SipSettings::dns_servers},
  };
  return f;
}

const std::vector<Field<RegistrarSettings>>& registrarFields() {
  static const std::vector<Field<RegistrarSettings>> f{
      {"min_expires_s", &RegistrarSettings::min_expires_s},
      {"max_expires_s", &RegistrarSettings::max_expires_s},
      {"default_expires_s", &RegistrarSettings::default_expires_s},
  };
  return f;
}

const std::vector<Field<TlsSettings>>& tlsFields() {
  static const std::vector<Field<TlsSettings>> f{
      {"certificate_pem", &TlsSettings::certificate_pem},
      {"private_key_pem", &TlsSettings::private_key_pem},
      {"ca_bundle_pem", &TlsSettings::ca_bundle_pem},
      {"verify_peers", &TlsSettings::verify_peers},
  };
  return f;
}

const std::vector<Field<MediaSettings>>& mediaFields() {
  static const std::vector<Field<MediaSettings>> f{
      {"workers", &MediaSettings::workers},
      {"rtp_port_min", &MediaSettings::rtp_port_min},
      {"rtp_port_max", &MediaSettings::rtp_port_max},
      {"stun_server", &MediaSettings::stun_server},
      {"turn_server", &MediaSettings::turn_server},
      {"turn_transport", &MediaSettings::turn_transport},
      {"turn_username", &MediaSettings::turn_username},
      {"turn_password", &MediaSettings::turn_password},
      {"inactivity_timeout_s", &MediaSettings::inactivity_timeout_s},
      {"opus_complexity", &MediaSettings::opus_complexity},
      {"opus_bitrate", &MediaSettings::opus_bitrate},
      {"jitter_buffer_max_ms", &MediaSettings::jitter_buffer_max_ms},
      {"webrtc_codecs", &MediaSettings::webrtc_codecs},
  };
  return f;
}

const std::vector<Field<ManagementSettings>>& managementFields() {
  static const std::vector<Field<ManagementSettings>> f{
      {"address", &ManagementSettings::address},
      {"https_port", &ManagementSettings::https_port},
      {"http_redirect_port", &ManagementSettings::http_redirect_port},
      {"certificate_pem", &ManagementSettings::certificate_pem},
      {"private_key_pem", &ManagementSettings::private_key_pem},
      {"session_idle_timeout_s", &ManagementSettings::session_idle_timeout_s},
      {"max_body_bytes", &ManagementSettings::max_body_bytes},
      {"request_timeout_s", &ManagementSettings::request_timeout_s},
      {"max_connections_per_address", &ManagementSettings::max_connections_per_address},
  };
  return f;
}

const std::vector<Field<MediaInterface>>& mediaInterfaceFields() {
  static const std::vector<Field<MediaInterface>> f{
      {"name", &MediaInterface::name},
      {"address", &MediaInterface::address},
      {"advertised_address", &MediaInterface::advertised_address},
      {"enabled", &MediaInterface::enabled},
  };
  return f;
}

const std::vector<Field<Listener>>& listenerFields() {
  static const std::vector<Field<Listener>> f{
      {"name", &Listener::name},
      {"transport", &Listener::transport},
      {"address", &Listener::address},
      {"port", &Listener::port},
      {"advertised_host", &Listener::advertised_host},
      {"enabled", &Listener::enabled},
  };
  return f;
}

const std::vector<Field<Peer>>& peerFields() {
  static const std::vector<Field<Peer>> f{
      {"name", &Peer::name},
      {"host", &Peer::host},
      {"port", &Peer::port},
      {"transport", &Peer::transport},
      {"username", &Peer::username},
      {"password", &Peer::password},
      {"realm", &Peer::realm},
      {"codecs", &Peer::codecs},
      {"media_encryption", &Peer::media_encryption},
      {"media_interface", &Peer::media_interface},
      {"rtp_latching", &Peer::rtp_latching},
      {"enabled", &Peer::enabled},
  };
  return f;
}

const std::vector<Field<Route>>& routeFields() {
  static const std::vector<Field<Route>> f{
      {"name", &Route::name},
      {"priority", &Route::priority},
      {"match_user_prefix", &Route::match_user_prefix},
      {"match_domain", &Route::match_domain},
      {"target_type", &Route::target_type},
      {"peer", &Route::peer},
      {"enabled", &Route::enabled},
  };
  return f;
}

const std::vector<Field<CallmeSettings>>& callmeFields() {
  static const std::vector<Field<CallmeSettings>> f{
      {"enabled", &CallmeSettings::enabled},
      {"token_secret", &CallmeSettings::token_secret},
      {"token_max_ttl_s", &CallmeSettings::token_max_ttl_s},
      {"max_calls_per_ip", &CallmeSettings::max_calls_per_ip},
      {"single_use_tokens", &CallmeSettings::single_use_tokens},
  };
  return f;
}

const std::vector<Field<Button>>& buttonFields() {
  static const std::vector<Field<Button>> f{
      {"name", &Button::name},
      {"enabled", &Button::enabled},
      {"destination_type", &Button::destination_type},
      {"peer", &Button::peer},
      {"destination_user", &Button::destination_user},
      {"allowed_origins", &Button::allowed_origins},
      {"require_token", &Button::require_token},
      {"max_concurrent_calls", &Button::max_concurrent_calls},
      {"max_calls_per_minute", &Button::max_calls_per_minute},
      {"video", &Button::video},
      {"opening_hours", &Button::opening_hours},
      {"timezone", &Button::timezone},
      {"closed_message", &Button::closed_message},
      {"header_prefix", &Button::header_prefix},
      {"label", &Button::label},
      {"colour", &Button::colour},
      {"language", &Button::language},
  };
  return f;
}

const std::vector<Field<Webhook>>& webhookFields() {
  static const std::vector<Field<Webhook>> f{
      {"name", &Webhook::name},
      {"enabled", &Webhook::enabled},
      {"format", &Webhook::format},
      {"url", &Webhook::url},
      {"secret", &Webhook::secret},
      {"events", &Webhook::events},
      {"buttons", &Webhook::buttons},
      {"xmlrpc_method", &Webhook::xmlrpc_method},
      {"timeout_ms", &Webhook::timeout_ms},
      {"max_attempts", &Webhook::max_attempts},
      {"verify_tls", &Webhook::verify_tls},
  };
  return f;
}

bool isSecretField(std::string_view name) {
  return name == "password" || name == "private_key_pem" || name == "turn_password" ||
         name == "token_secret" || name == "secret";
}

}  // namespace callgate::config
