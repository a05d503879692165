#pragma once
// A self-signed certificate for first start, so TLS and WSS work before an
// administrator uploads a real one.

#include <string>
#include <string_view>
#include <vector>

namespace callgate::net {

struct PemPair {
  std::string certificatePem;
  std::string privateKeyPem;
};

// ECDSA P-256 key, SHA-256 signature, random serial; `subjectAltNames` holds
// IP literals and DNS names. Throws with OpenSSL's reason on failure.
PemPair generateSelfSignedCertificate(std::string_view commonName,
                                      const std::vector<std::string>& subjectAltNames, int days);

}  // namespace callgate::net
