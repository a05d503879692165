#include "http/Certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>

#include "http/OpenSslHandles.h"

namespace callgate::mgmt::http {
namespace {

constexpr int kMinRsaBits = 2048;

std::string opensslReason() {
  char reason[256] = "unknown reason";
  if (const unsigned long e = ERR_get_error()) ERR_error_string_n(e, reason, sizeof reason);
  ERR_clear_error();
  return reason;
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 && data ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string nameText(const X509_NAME* name) {
  ossl::Bio out(BIO_new(BIO_s_mem()));
  if (!out || !name) return {};
  X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bioText(out.get());
}

std::string timeText(const ASN1_TIME* t) {
  struct tm parts {};
  if (!t || ASN1_TIME_to_tm(t, &parts) != 1) return {};
  char text[32];
  if (std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts) == 0) return {};
  return text;
}

std::string fingerprint(const X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &length) != 1) return {};
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    if (i) out.push_back(':');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string curveName(const EVP_PKEY* key) {
  char name[64] = "";
  size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, "group", name, sizeof name, &length) != 1) return {};
  return name;
}

// "RSA 2048", "EC P-256"; empty for anything else.
std::string keyTypeOf(const EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA")) return "RSA " + std::to_string(EVP_PKEY_get_bits(key));
  if (EVP_PKEY_is_a(key, "EC")) {
    const std::string curve = curveName(key);
    if (curve == "prime256v1" || curve == "P-256") return "EC P-256";
    if (curve == "secp384r1" || curve == "P-384") return "EC P-384";
    return "EC " + curve;
  }
  return EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "unknown";
}

std::vector<std::string> altNames(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names) && out.size() < 100; ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) {
      const auto* s = n->d.dNSName;
      out.emplace_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                            static_cast<size_t>(ASN1_STRING_length(s))));
    } else if (n->type == GEN_IPADD) {
      const auto* ip = n->d.iPAddress;
      char text[64] = "";
      const unsigned char* b = ASN1_STRING_get0_data(ip);
      if (ASN1_STRING_length(ip) == 4) {
        std::snprintf(text, sizeof text, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
      } else if (ASN1_STRING_length(ip) == 16) {
        int at = 0;
        for (int k = 0; k < 16; k += 2) {
          at += std::snprintf(text + at, sizeof text - static_cast<size_t>(at), "%s%x",
                              k ? ":" : "", (b[k] << 8) | b[k + 1]);
        }
      }
      out.emplace_back(std::string("IP:") + text);
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

ossl::Cert firstCertificate(const std::string& pem) {
  auto bio = ossl::memoryBio(pem);
  ossl::Cert cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  return cert;
}

}  // namespace

std::optional<CertificateInfo> describeCertificate(const std::string& pem) {
  auto bio = ossl::memoryBio(pem);
  if (!bio) return std::nullopt;
  ossl::Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return std::nullopt;
  }
  CertificateInfo info;
  info.subject = nameText(X509_get_subject_name(cert.get()));
  info.issuer = nameText(X509_get_issuer_name(cert.get()));
  info.notBefore = timeText(X509_get0_notBefore(cert.get()));
  info.notAfter = timeText(X509_get0_notAfter(cert.get()));
  info.sha256Fingerprint = fingerprint(cert.get());
  if (const EVP_PKEY* key = X509_get0_pubkey(cert.get())) info.keyType = keyTypeOf(key);
  info.subjectAltNames = altNames(cert.get());
  while (ossl::Cert extra{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    ++info.chainLength;
  }
  ERR_clear_error();
  return info;
}

std::optional<CertificateProblem> checkIdentity(const std::string& certificatePem,
                                                const std::string& privateKeyPem, std::time_t now) {
  const auto cert = firstCertificate(certificatePem);
  if (!cert) return CertificateProblem{"certificate_pem", "no PEM certificate found"};
  auto keyBio = ossl::memoryBio(privateKeyPem);
  // A null passphrase callback: an encrypted key is refused, not prompted for.
  ossl::Key key(keyBio
                    ? PEM_read_bio_PrivateKey(
                          keyBio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr)
                    : nullptr);
  if (!key) {
    ERR_clear_error();
    return CertificateProblem{"private_key_pem", "no unencrypted PEM private key found"};
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return CertificateProblem{"private_key_pem", "the key does not belong to the certificate"};
  }
  std::time_t at = now;
  if (X509_cmp_time(X509_get0_notBefore(cert.get()), &at) > 0) {
    return CertificateProblem{"certificate_pem",
                              "not valid before " + timeText(X509_get0_notBefore(cert.get()))};
  }
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), &at) < 0) {
    return CertificateProblem{"certificate_pem",
                              "expired on " + timeText(X509_get0_notAfter(cert.get()))};
  }
  const std::string type = keyTypeOf(key.get());
  if (EVP_PKEY_is_a(key.get(), "RSA")) {
    if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
      return CertificateProblem{"private_key_pem", type + ": RSA keys need at least 2048 bits"};
    }
  } else if (type != "EC P-256" && type != "EC P-384") {
    return CertificateProblem{"private_key_pem",
                              type + ": only RSA (2048 bits or more) and EC P-256/P-384 keys"};
  }
  return std::nullopt;
}

std::optional<PemIdentity> pkcs12ToPem(std::string_view der, const std::string& password,
                                       std::string& error) {
  auto bio = ossl::memoryBio(der);
  ossl::Pkcs12 p12(bio ? d2i_PKCS12_bio(bio.get(), nullptr) : nullptr);
  if (!p12) {
    error = "not a PKCS#12 file: " + opensslReason();
    return std::nullopt;
  }
  EVP_PKEY* rawKey = nullptr;
  X509* rawCert = nullptr;
  STACK_OF(X509)* rawChain = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &rawKey, &rawCert, &rawChain) != 1) {
    error = "cannot open the PKCS#12 file (wrong password?): " + opensslReason();
    return std::nullopt;
  }
  ossl::Key key(rawKey);
  ossl::Cert cert(rawCert);
  ossl::Chain chain(rawChain);
  if (!key || !cert) {
    error = "the PKCS#12 file needs both a certificate and its private key";
    return std::nullopt;
  }
  ossl::Bio certOut(BIO_new(BIO_s_mem()));
  ossl::Bio keyOut(BIO_new(BIO_s_mem()));
  bool ok = certOut && keyOut && PEM_write_bio_X509(certOut.get(), cert.get()) == 1;
  for (int i = 0; ok && chain && i < sk_X509_num(chain.get()); ++i) {
    ok = PEM_write_bio_X509(certOut.get(), sk_X509_value(chain.get(), i)) == 1;
  }
  ok = ok && PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                      nullptr) == 1;
  if (!ok) {
    error = "cannot convert the PKCS#12 contents: " + opensslReason();
    return std::nullopt;
  }
  return PemIdentity{bioText(certOut.get()), bioText(keyOut.get())};
}

}  // namespace callgate::mgmt::http
