#pragma once
// The TLS context of the HTTPS listener, built from PEM text held in the
// configuration (no key files on disk): TLS 1.2 minimum, forward-secret AEAD
// ciphers only for TLS 1.2 (ECDHE with AES-GCM or ChaCha20-Poly1305, as in
// Mozilla's "intermediate" profile); TLS 1.3 suites are all AEAD already.

#include <Poco/Net/Context.h>

#include <string>

namespace callgate::mgmt::http {

constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!SHA1:!SHA256:!SHA384";

// Throws std::runtime_error naming what is wrong with the certificate or key.
Poco::Net::Context::Ptr makeServerContext(const std::string& certificatePem,
                                          const std::string& privateKeyPem);

}  // namespace callgate::mgmt::http
