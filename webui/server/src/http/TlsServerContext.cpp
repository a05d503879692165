#include "http/TlsServerContext.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <stdexcept>

#include "http/OpenSslHandles.h"

namespace callgate::mgmt::http {

struct ParsedIdentity {
  ossl::Cert leaf;
  ossl::Chain chain;
  ossl::Key key;
};

namespace {

[[noreturn]] void fail(const std::string& what) {
  char reason[256] = "unknown";
  if (const unsigned long e = ERR_get_error()) ERR_error_string_n(e, reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error(what + ": " + reason);
}

std::shared_ptr<const ParsedIdentity> parse(const std::string& certificatePem,
                                            const std::string& privateKeyPem) {
  auto out = std::make_shared<ParsedIdentity>();
  // The first certificate is the server's; any that follow form its chain.
  auto certs = ossl::memoryBio(certificatePem);
  out->leaf.reset(PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr));
  if (!out->leaf) fail("management.certificate_pem");
  out->chain.reset(sk_X509_new_null());
  while (X509* extra = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr)) {
    if (!sk_X509_push(out->chain.get(), extra)) {
      X509_free(extra);
      fail("management.certificate_pem chain");
    }
  }
  ERR_clear_error();  // the loop ends on "no start line"
  auto keyBio = ossl::memoryBio(privateKeyPem);
  out->key.reset(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
  if (!out->key) fail("management.private_key_pem");
  if (X509_check_private_key(out->leaf.get(), out->key.get()) != 1) {
    fail("management.private_key_pem does not match");
  }
  return out;
}

bool install(SSL* ssl, const ParsedIdentity& id) {
  // Up-references the certificate and key, copies the chain (override = 1
  // replaces whatever the context set).
  return SSL_use_cert_and_key(ssl, id.leaf.get(), id.key.get(), id.chain.get(), 1) == 1;
}

// SSL_CTX_set_cert_cb: runs in each handshake once the ClientHello is read.
int certificateCallback(SSL* ssl, void* arg) {
  const auto* identity = static_cast<const ServerIdentity*>(arg);
  const auto id = identity->current();
  return id && install(ssl, *id) ? 1 : 0;
}

}  // namespace

ServerIdentity::ServerIdentity(const std::string& certificatePem, const std::string& privateKeyPem)
    : current_(parse(certificatePem, privateKeyPem)) {}

void ServerIdentity::replace(const std::string& certificatePem, const std::string& privateKeyPem) {
  auto next = parse(certificatePem, privateKeyPem);
  std::lock_guard lock(mutex_);
  current_ = std::move(next);
}

std::shared_ptr<const ParsedIdentity> ServerIdentity::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

Poco::Net::Context::Ptr makeServerContext(const ServerIdentity& identity) {
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
  // The context's own certificate is the one at start; the callback puts
  // the current one on each connection.
  const auto first = identity.current();
  if (SSL_CTX_use_certificate(ssl, first->leaf.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ssl, first->key.get()) != 1) {
    fail("management certificate");
  }
  SSL_CTX_set_cert_cb(ssl, certificateCallback,
                      const_cast<void*>(static_cast<const void*>(&identity)));
  return context;
}

}  // namespace callgate::mgmt::http
