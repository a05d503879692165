#include "http/TlsServerContext.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <memory>
#include <stdexcept>

namespace callgate::mgmt::http {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, BioDeleter> memory(const std::string& text) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

[[noreturn]] void fail(const std::string& what) {
  char reason[256] = "unknown";
  if (const unsigned long e = ERR_get_error()) ERR_error_string_n(e, reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error(what + ": " + reason);
}

}  // namespace

Poco::Net::Context::Ptr makeServerContext(const std::string& certificatePem,
                                          const std::string& privateKeyPem) {
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  params.loadDefaultCAs = false;
  params.cipherList = kTls12Ciphers;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  SSL_CTX* ssl = context->sslContext();
  SSL_CTX_set_options(
      ssl, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);

  // The first certificate is the server's; any that follow form its chain.
  auto certs = memory(certificatePem);
  std::unique_ptr<X509, X509Deleter> leaf(
      PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr));
  if (!leaf) fail("management.certificate_pem");
  if (SSL_CTX_use_certificate(ssl, leaf.get()) != 1) fail("management.certificate_pem");
  while (X509* extra = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add_extra_chain_cert(ssl, extra) != 1) {  // takes ownership on success
      X509_free(extra);
      fail("management.certificate_pem chain");
    }
  }
  ERR_clear_error();  // the loop ends on "no start line"

  auto keyBio = memory(privateKeyPem);
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
  if (!key) fail("management.private_key_pem");
  if (SSL_CTX_use_PrivateKey(ssl, key.get()) != 1) fail("management.private_key_pem");
  if (SSL_CTX_check_private_key(ssl) != 1) fail("management.private_key_pem does not match");
  return context;
}

}  // namespace callgate::mgmt::http
