#pragma once
// Inspection and checks of the management server's TLS certificate: what
// GET /api/v1/certificates shows, what an upload must pass before it is
// stored, and PKCS#12 files turned into the PEM the configuration holds.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::mgmt::http {

struct CertificateInfo {
  std::string subject;  // RFC 2253 form, "CN=callgate-mgmt"
  std::string issuer;
  std::string notBefore;  // ISO 8601 UTC, "2026-11-30T01:20:22Z"
  std::string notAfter;
  std::string sha256Fingerprint;  // upper-case hex pairs joined by ':'
  std::string keyType;            // "EC P-256", "RSA 2048"
  std::vector<std::string> subjectAltNames;
  size_t chainLength = 0;  // certificates after the first in the PEM
};

// The first certificate of `pem`; nullopt when there is none.
std::optional<CertificateInfo> describeCertificate(const std::string& pem);

struct CertificateProblem {
  std::string field;  // "certificate_pem" or "private_key_pem"
  std::string message;
};

// What a certificate and key must be to serve HTTPS: parseable PEM, the key
// belongs to the certificate, valid at `now`, and an RSA key of at least
// 2048 bits or an EC key on P-256 or P-384 (the curves TLS 1.3 clients all
// offer, RFC 8446 §9.1).
std::optional<CertificateProblem> checkIdentity(const std::string& certificatePem,
                                                const std::string& privateKeyPem, std::time_t now);

struct PemIdentity {
  std::string certificatePem;  // the leaf first, then any chain certificates
  std::string privateKeyPem;   // unencrypted PKCS#8
};

// Opens a PKCS#12 file (DER bytes) with `password`. nullopt with `error`
// set for a malformed file or a wrong password.
std::optional<PemIdentity> pkcs12ToPem(std::string_view der, const std::string& password,
                                       std::string& error);

}  // namespace callgate::mgmt::http
