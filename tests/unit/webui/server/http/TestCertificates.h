#pragma once
// Certificates made on the spot for the TLS tests: any key type, any
// validity window, and PKCS#12 bundles of them.

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/test/unit_test.hpp>
#include <ctime>
#include <string>

#include "http/OpenSslHandles.h"

namespace callgate::mgmt::http::test {

struct Made {
  std::string certificatePem;
  std::string privateKeyPem;
  ossl::Cert cert;
  ossl::Key key;
};

// "RSA" with `bits`, or "EC" on `curve` ("P-256", "P-384", "P-521").
inline ossl::Key makeKey(const std::string& type, unsigned bits = 2048,
                         const std::string& curve = "P-256") {
  ossl::Key key(type == "RSA" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{bits})
                              : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.c_str()));
  BOOST_REQUIRE(key);
  return key;
}

inline std::string pemOf(X509* cert) {
  ossl::Bio out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

inline std::string pemOf(EVP_PKEY* key) {
  ossl::Bio out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Self-signed, CN = `name`, valid from now + fromDays to now + toDays.
inline Made makeCertificate(ossl::Key key, const std::string& name, long fromDays = -1,
                            long toDays = 30) {
  Made m;
  m.cert.reset(X509_new());
  X509_set_version(m.cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(m.cert.get()), 4242);
  X509_gmtime_adj(X509_getm_notBefore(m.cert.get()), fromDays * 86400);
  X509_gmtime_adj(X509_getm_notAfter(m.cert.get()), toDays * 86400);
  X509_set_pubkey(m.cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(m.cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_set_issuer_name(m.cert.get(), subject);
  BOOST_REQUIRE(X509_sign(m.cert.get(), key.get(), EVP_sha256()) > 0);
  m.certificatePem = pemOf(m.cert.get());
  m.privateKeyPem = pemOf(key.get());
  m.key = std::move(key);
  return m;
}

inline std::string pkcs12Of(const Made& m, const std::string& password) {
  PKCS12* raw =
      PKCS12_create(password.c_str(), "test", m.key.get(), m.cert.get(), nullptr, 0, 0, 0, 0, 0);
  BOOST_REQUIRE(raw);
  ossl::Pkcs12 p12(raw);
  ossl::Bio out(BIO_new(BIO_s_mem()));
  i2d_PKCS12_bio(out.get(), p12.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace callgate::mgmt::http::test
