#include "net/TlsContext.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace callgate::net {
namespace {

// Forward secrecy and AEAD only; TLS 1.3 suites are OpenSSL's defaults.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::unique_ptr<BIO, BioDeleter> memoryBio(std::string_view text) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

SSL_CTX* newContext(const SSL_METHOD* method) {
  SSL_CTX* ctx = SSL_CTX_new(method);
  if (!ctx) throw std::runtime_error("SSL_CTX_new: " + opensslError());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_set_cipher_list(ctx, kCipherList) != 1) {
    SSL_CTX_free(ctx);
    throw std::runtime_error("cipher list: " + opensslError());
  }
  return ctx;
}

}  // namespace

std::string opensslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

std::unique_ptr<TlsContext> TlsContext::server(std::string_view certificatePem,
                                               std::string_view privateKeyPem) {
  SSL_CTX* ctx = newContext(TLS_server_method());
  std::unique_ptr<TlsContext> out(new TlsContext(ctx, true, false));
  auto certBio = memoryBio(certificatePem);
  X509* cert = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr);
  if (!cert || SSL_CTX_use_certificate(ctx, cert) != 1) {
    if (cert) X509_free(cert);
    throw std::runtime_error("TLS certificate: " + opensslError());
  }
  X509_free(cert);
  // Any further certificates in the PEM are the chain.
  while (X509* extra = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) X509_free(extra);
  }
  ERR_clear_error();
  auto keyBio = memoryBio(privateKeyPem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr);
  if (!key || SSL_CTX_use_PrivateKey(ctx, key) != 1) {
    if (key) EVP_PKEY_free(key);
    throw std::runtime_error("TLS private key: " + opensslError());
  }
  EVP_PKEY_free(key);
  if (SSL_CTX_check_private_key(ctx) != 1) {
    throw std::runtime_error("TLS private key does not match the certificate");
  }
  return out;
}

std::unique_ptr<TlsContext> TlsContext::client(std::string_view caBundlePem, bool verifyPeers) {
  SSL_CTX* ctx = newContext(TLS_client_method());
  std::unique_ptr<TlsContext> out(new TlsContext(ctx, false, verifyPeers));
  if (verifyPeers) {
    if (caBundlePem.empty()) {
      SSL_CTX_set_default_verify_paths(ctx);
    } else {
      auto bio = memoryBio(caBundlePem);
      X509_STORE* store = SSL_CTX_get_cert_store(ctx);
      int added = 0;
      while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        added += X509_STORE_add_cert(store, ca) == 1 ? 1 : 0;
        X509_free(ca);
      }
      ERR_clear_error();
      if (added == 0) throw std::runtime_error("CA bundle holds no certificate");
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return out;
}

TlsContext::~TlsContext() {
  SSL_CTX_free(ctx_);
}

ssl_st* TlsContext::newSession() const {
  return SSL_new(ctx_);
}

}  // namespace callgate::net
