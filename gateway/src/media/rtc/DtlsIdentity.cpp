#include "media/rtc/DtlsIdentity.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "net/SelfSignedCertificate.h"
#include "net/TlsContext.h"

namespace callgate::media::rtc {
namespace {

// The certificate is checked by fingerprint after the handshake, not by a
// chain (RFC 8827 §6.5), so the handshake itself accepts any certificate.
int acceptAnyCertificate(int, X509_STORE_CTX*) {
  return 1;
}

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("DTLS identity: ") + what + ": " + net::opensslError());
}

}  // namespace

std::string formatFingerprint(const unsigned char* digest, unsigned length) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(length * 3);
  for (unsigned i = 0; i < length; ++i) {
    if (i) out += ':';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::shared_ptr<const DtlsIdentity> DtlsIdentity::generate() {
  const auto pem = net::generateSelfSignedCertificate("callgate", {}, 365);
  std::shared_ptr<DtlsIdentity> identity(new DtlsIdentity());
  SSL_CTX* ctx = SSL_CTX_new(DTLS_method());
  if (!ctx) fail("SSL_CTX_new");
  identity->ctx_ = ctx;
  SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(ctx,
                              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
                              "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA:"
                              "ECDHE-RSA-AES128-SHA") != 1) {
    fail("cipher list");
  }
  // RFC 5764 §4.1.2: profiles in our order of preference.
  if (SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80") != 0) {
    fail("SRTP profiles");
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, acceptAnyCertificate);
  SSL_CTX_set_read_ahead(ctx, 1);
  // After the handshake DTLS sits idle for the rest of the call (media is
  // SRTP): give its record buffers back instead of holding ~34 KiB per leg.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  BIO* certBio =
      BIO_new_mem_buf(pem.certificatePem.data(), static_cast<int>(pem.certificatePem.size()));
  X509* cert = PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr);
  BIO_free(certBio);
  BIO* keyBio =
      BIO_new_mem_buf(pem.privateKeyPem.data(), static_cast<int>(pem.privateKeyPem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
  BIO_free(keyBio);
  const bool loaded = cert && key && SSL_CTX_use_certificate(ctx, cert) == 1 &&
                      SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  const bool digested = cert && X509_digest(cert, EVP_sha256(), digest, &length) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!loaded) fail("certificate");
  if (!digested) fail("fingerprint");
  identity->fingerprint_ = formatFingerprint(digest, length);
  return identity;
}

DtlsIdentity::~DtlsIdentity() {
  if (ctx_) SSL_CTX_free(ctx_);
}

}  // namespace callgate::media::rtc
