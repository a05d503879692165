#pragma once
// The gateway's DTLS identity: one ECDSA P-256 key and self-signed
// certificate made at start, whose SHA-256 fingerprint every WebRTC answer
// and offer carries (RFC 8842 §5). Read-only once made, so all media workers
// share it.

#include <memory>
#include <string>

struct ssl_ctx_st;

namespace callgate::media::rtc {

class DtlsIdentity {
 public:
  // Throws std::runtime_error with OpenSSL's reason on failure (start-up only).
  static std::shared_ptr<const DtlsIdentity> generate();
  ~DtlsIdentity();
  DtlsIdentity(const DtlsIdentity&) = delete;
  DtlsIdentity& operator=(const DtlsIdentity&) = delete;

  // "sha-256" and "AB:CD:..." as SDP a=fingerprint writes them.
  const std::string& fingerprintAlgorithm() const { return algorithm_; }
  const std::string& fingerprint() const { return fingerprint_; }
  // The SSL_CTX every DtlsTransport is made from (DTLS 1.2, SRTP profiles).
  ssl_ctx_st* context() const { return ctx_; }

 private:
  DtlsIdentity() = default;
  // owned
  ssl_ctx_st* ctx_ = nullptr;
  std::string algorithm_ = "sha-256";
  std::string fingerprint_;
};

// "AB:CD:..." of a DER certificate's digest, upper-case hex as RFC 8122 §5 shows.
std::string formatFingerprint(const unsigned char* digest, unsigned length);

}  // namespace callgate::media::rtc
