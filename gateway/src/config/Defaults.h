#pragma once
// The configuration a new node starts with.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "config/Config.h"

namespace callgate::config {

// UDP and TCP on 5060, TLS on 5061, WS on 5066 and WSS on 7443, on loopback
// and on each host address given; one route delivering every call to the
// users registered here. No peers, no certificate (the daemon makes one).
Config defaultConfig(const std::vector<std::string>& hostAddresses);
// `n` random bytes; the default draws them from OpenSSL's CSPRNG.
using RandomBytes = std::function<std::string(size_t n)>;
// Fills the values a node generates for itself when they are empty: today
// callme.token_secret (base64 of 32 random bytes). Returns whether anything
// changed, so a caller saves only then. Every process that creates or
// upgrades a database (callgated, callgate-mgmt, callgatectl) calls this.
bool fillGeneratedDefaults(Config& config, const RandomBytes& random = {});
// The host's non-loopback, non-link-local addresses.
std::vector<std::string> hostAddresses();

}  // namespace callgate::config
