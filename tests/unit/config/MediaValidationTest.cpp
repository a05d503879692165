#include <boost/test/unit_test.hpp>

#include "config/MediaValidation.h"

using namespace callgate::config;

namespace {
std::string fieldsOf(const Config& c) {
  std::string out;
  for (const auto& e : validate(c)) out += e.field + ";";
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(media_validation)

BOOST_AUTO_TEST_CASE(default_media_settings_are_valid) {
  Config c;
  BOOST_TEST(fieldsOf(c) == "");
  BOOST_TEST(c.media_interfaces.size() == 1u);
  BOOST_TEST(c.media_interfaces[0].address == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(each_media_rule_names_its_field) {
  Config c;
  c.media.workers = 65;
  c.media.rtp_port_min = 80;
  c.media.rtp_port_max = 70000;
  c.media.stun_server = "stun.example:99999";
  c.media.turn_server = "2001:db8::1:3478";
  c.media.turn_transport = "sctp";
  c.media.opus_complexity = 11;
  c.media.opus_bitrate = 1000;
  c.media.jitter_buffer_max_ms = 5;
  c.media_interfaces = {
      MediaInterface{.name = "a", .address = "eth0"},
      MediaInterface{
          .name = "a", .address = "::1", .advertised_address = "192.0.2.1", .enabled = false}};
  c.peers = {Peer{.name = "p",
                  .host = "192.0.2.9",
                  .codecs = "opus,g729,opus",
                  .media_encryption = "zrtp",
                  .media_interface = "nowhere"}};
  const auto f = fieldsOf(c);
  for (const char* field :
       {"media.workers", "media.rtp_port_min", "media.rtp_port_max", "media.stun_server",
        "media.turn_server", "media.turn_transport", "media.turn_username", "media.opus_complexity",
        "media.opus_bitrate", "media.jitter_buffer_max_ms", "media_interfaces[0].address",
        "media_interfaces[1].name", "media_interfaces[1].advertised_address", "peers[0].codecs",
        "peers[0].media_encryption", "peers[0].media_interface"}) {
    BOOST_TEST_INFO(field);
    BOOST_TEST(f.find(std::string(field) + ";") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(at_least_one_interface_is_enabled) {
  Config c;
  c.media_interfaces[0].enabled = false;
  BOOST_TEST(fieldsOf(c) == "media_interfaces;");
}

BOOST_AUTO_TEST_CASE(server_addresses_accept_hosts_ports_and_bracketed_ipv6) {
  Config c;
  for (const char* ok : {"stun.example.org", "stun.example.org:3478", "192.0.2.1:19302",
                         "[2001:db8::1]:3478", "[2001:db8::1]"}) {
    c.media.stun_server = ok;
    BOOST_TEST_INFO(ok);
    BOOST_TEST(fieldsOf(c) == "");
  }
  for (const char* bad : {"stun.example.org:", "[2001:db8::1", "host:0", "a b", "[x]:1"}) {
    c.media.stun_server = bad;
    BOOST_TEST_INFO(bad);
    BOOST_TEST(fieldsOf(c) == "media.stun_server;");
  }
}

BOOST_AUTO_TEST_CASE(codec_lists_are_split_and_normalised) {
  const auto codecs = splitCodecList(" Opus, PCMU ,pcma");
  BOOST_TEST((codecs == std::vector<std::string>{"opus", "pcmu", "pcma"}));
  Config c;
  c.peers = {Peer{.name = "p", .host = "192.0.2.9", .codecs = ""}};
  BOOST_TEST(fieldsOf(c) == "peers[0].codecs;");
}

BOOST_AUTO_TEST_SUITE_END()
