#pragma once
// The configuration a new node starts with.

#include <string>
#include <vector>

#include "config/Config.h"

namespace callgate::config {

// UDP and TCP on 5060, TLS on 5061, WS on 5066 and WSS on 7443, on loopback
// and on each host address given; one route delivering every call to the
// users registered here. No peers, no certificate (the daemon makes one).
Config defaultConfig(const std::vector<std::string>& hostAddresses);
// The host's non-loopback, non-link-local addresses.
std::vector<std::string> hostAddresses();

}  // namespace callgate::config
