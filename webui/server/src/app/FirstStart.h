#pragma once
// What callgate-mgmt creates when it starts on a new node: the database with
// the same defaults callgated writes (listeners, media interfaces, a route
// and a self-signed SIP TLS certificate) and its own HTTPS certificate.

#include <string>

namespace callgate::mgmt::app {

// Creates and fills the database when it is missing or was never saved.
void ensureDatabase(const std::string& dbPath);
// Generates a self-signed ECDSA P-256 certificate for the HTTPS listener
// when management.certificate_pem is empty, and stores it (audited).
void ensureManagementCertificate(const std::string& dbPath);

}  // namespace callgate::mgmt::app
