#pragma once
// The TLS context of the HTTPS listener, built from PEM text held in the
// configuration (no key files on disk): TLS 1.2 minimum, forward-secret AEAD
// ciphers only for TLS 1.2 (ECDHE with AES-GCM or ChaCha20-Poly1305, as in
// Mozilla's "intermediate" profile); TLS 1.3 suites are all AEAD already.
//
// The certificate is not fixed in the context: each handshake takes the
// current one from a ServerIdentity (OpenSSL's certificate callback), so an
// uploaded certificate serves new connections at once, without a restart,
// while connections already open keep theirs.

#include <Poco/Net/Context.h>

#include <memory>
#include <mutex>
#include <string>

namespace callgate::mgmt::http {

constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!SHA1:!SHA256:!SHA384";

struct ParsedIdentity;  // certificate, chain and key as OpenSSL objects

// The certificate and key handshakes use. Thread-safe: replace() may run on
// an API thread while other threads handshake.
class ServerIdentity {
 public:
  // Both throw std::runtime_error naming what is wrong with the PEM text.
  ServerIdentity(const std::string& certificatePem, const std::string& privateKeyPem);
  void replace(const std::string& certificatePem, const std::string& privateKeyPem);
  std::shared_ptr<const ParsedIdentity> current() const;

 private:
  // owned; shared with handshakes in progress while a replacement lands
  mutable std::mutex mutex_;
  std::shared_ptr<const ParsedIdentity> current_;
};

// The context serves whatever `identity` holds at each handshake;
// `identity` must outlive it.
Poco::Net::Context::Ptr makeServerContext(const ServerIdentity& identity);

}  // namespace callgate::mgmt::http
