#include "media/rtc/DtlsTransport.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <strings.h>

#include <cstring>

#include "media/rtc/DtlsIdentity.h"
#include "net/TlsContext.h"

namespace callgate::media::rtc {
namespace {

// Records must leave one per datagram and no larger than a path that crosses
// tunnels and TURN allows; 1200 is what browsers assume too.
constexpr long kMtu = 1200;
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";  // RFC 5764 §4.2

// A sink BIO that hands every write to the transport as one datagram: a
// memory BIO would glue a flight's records into one oversized datagram.
int datagramWrite(BIO* bio, const char* data, int length) {
  auto* transport = static_cast<DtlsTransport*>(BIO_get_data(bio));
  auto* listener = static_cast<DtlsTransport::Listener*>(BIO_get_app_data(bio));
  if (!transport || !listener || length <= 0) return length;
  listener->onDtlsSend(*transport,
                       {reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(length)});
  return length;
}

long datagramCtrl(BIO*, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return kMtu;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      return 28;  // IPv4 + UDP headers
    default:
      return 0;
  }
}

int datagramCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* datagramMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "callgate-dtls-out");
    BIO_meth_set_write(m, datagramWrite);
    BIO_meth_set_ctrl(m, datagramCtrl);
    BIO_meth_set_create(m, datagramCreate);
    return m;
  }();
  return method;
}

const EVP_MD* digestNamed(std::string_view algorithm) {
  struct Known {
    const char* name;
    const EVP_MD* (*digest)();
  };
  static const Known kKnown[] = {{"sha-1", EVP_sha1},
                                 {"sha-224", EVP_sha224},
                                 {"sha-256", EVP_sha256},
                                 {"sha-384", EVP_sha384},
                                 {"sha-512", EVP_sha512}};
  for (const auto& k : kKnown) {
    if (algorithm.size() == std::strlen(k.name) &&
        strncasecmp(algorithm.data(), k.name, algorithm.size()) == 0) {
      return k.digest();
    }
  }
  return nullptr;
}

}  // namespace

std::string_view srtpProfileName(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80";
}

size_t srtpKeyLength(SrtpProfile) {
  return 16;
}

size_t srtpSaltLength(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}

DtlsTransport::DtlsTransport(const DtlsIdentity& identity, Listener& listener)
    : listener_(listener) {
  ssl_ = SSL_new(identity.context());
  incoming_ = BIO_new(BIO_s_mem());
  outgoing_ = BIO_new(datagramMethod());
  if (!ssl_ || !incoming_ || !outgoing_) {
    BIO_free(incoming_);
    BIO_free(outgoing_);
    incoming_ = outgoing_ = nullptr;
    fail("cannot create a DTLS session: " + net::opensslError());
    return;
  }
  BIO_set_mem_eof_return(incoming_, -1);
  BIO_set_data(outgoing_, this);
  BIO_set_app_data(outgoing_, &listener_);
  SSL_set_bio(ssl_, incoming_, outgoing_);
  SSL_set_options(ssl_, SSL_OP_NO_QUERY_MTU);
  SSL_set_mtu(ssl_, kMtu);
}

DtlsTransport::~DtlsTransport() {
  if (outgoing_) BIO_set_data(outgoing_, nullptr);
  if (ssl_) SSL_free(ssl_);
}

bool DtlsTransport::setRemoteFingerprint(std::string_view algorithm, std::string_view value) {
  if (!digestNamed(algorithm)) return false;
  remoteAlgorithm_ = std::string(algorithm);
  remoteFingerprint_ = std::string(value);
  return true;
}

void DtlsTransport::start(DtlsRole role) {
  if (state_ != State::New) return;
  role_ = role;
  state_ = State::Connecting;
  if (role == DtlsRole::Client) {
    SSL_set_connect_state(ssl_);
    advanceHandshake();
  } else {
    SSL_set_accept_state(ssl_);
  }
}

bool DtlsTransport::onPacket(std::span<const uint8_t> datagram) {
  if ((state_ != State::Connecting && state_ != State::Connected) || !ssl_) return false;
  if (BIO_write(incoming_, datagram.data(), static_cast<int>(datagram.size())) <= 0) return false;
  if (state_ == State::Connecting) {
    advanceHandshake();
    return true;
  }
  // After the handshake only alerts (close_notify) and retransmitted
  // handshake messages arrive; there is no application data on this path.
  uint8_t sink[2048];
  int n = 0;
  while ((n = SSL_read(ssl_, sink, sizeof sink)) > 0) {
  }
  {
    const int error = SSL_get_error(ssl_, n);
    if (error == SSL_ERROR_ZERO_RETURN) {
      state_ = State::Closed;
      listener_.onDtlsClosed(*this);
    } else if (error != SSL_ERROR_WANT_READ) {
      ERR_clear_error();
    }
  }
  (void)BIO_reset(incoming_);
  return true;
}

void DtlsTransport::advanceHandshake() {
  const int result = SSL_do_handshake(ssl_);
  if (result == 1) {
    if (!verifyPeerCertificate()) return;
    exportKeys();
    return;
  }
  const int error = SSL_get_error(ssl_, result);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
  fail("DTLS handshake failed: " + net::opensslError());
}

bool DtlsTransport::verifyPeerCertificate() {
  X509* certificate = SSL_get1_peer_certificate(ssl_);
  if (!certificate) {
    fail("the peer sent no certificate");
    return false;
  }
  const EVP_MD* digest = digestNamed(remoteAlgorithm_);
  unsigned char value[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  const bool digested = digest && X509_digest(certificate, digest, value, &length) == 1;
  X509_free(certificate);
  if (!digested) {
    fail(remoteFingerprint_.empty() ? "no fingerprint to check the peer's certificate against"
                                    : "cannot digest the peer's certificate");
    return false;
  }
  const auto actual = formatFingerprint(value, length);
  if (actual.size() != remoteFingerprint_.size() ||
      strncasecmp(actual.data(), remoteFingerprint_.data(), actual.size()) != 0) {
    fail("the peer's certificate does not match its SDP fingerprint");
    return false;
  }
  return true;
}

void DtlsTransport::exportKeys() {
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_);
  if (!selected) {
    fail("the peer agreed no SRTP protection profile");
    return;
  }
  SrtpKeys keys;
  if (selected->id == SRTP_AEAD_AES_128_GCM) {
    keys.profile = SrtpProfile::AeadAes128Gcm;
  } else if (selected->id == SRTP_AES128_CM_SHA1_80) {
    keys.profile = SrtpProfile::AesCm128HmacSha1_80;
  } else {
    fail("unsupported SRTP profile");
    return;
  }
  const size_t keyLength = srtpKeyLength(keys.profile);
  const size_t saltLength = srtpSaltLength(keys.profile);
  uint8_t material[2 * (16 + 14)];
  const size_t total = 2 * (keyLength + saltLength);
  if (SSL_export_keying_material(ssl_, material, total, kExporterLabel, sizeof kExporterLabel - 1,
                                 nullptr, 0, 0) != 1) {
    fail("cannot export SRTP keys: " + net::opensslError());
    return;
  }
  // client key | server key | client salt | server salt (RFC 5764 §4.2)
  const uint8_t* clientKey = material;
  const uint8_t* serverKey = material + keyLength;
  const uint8_t* clientSalt = material + 2 * keyLength;
  const uint8_t* serverSalt = clientSalt + saltLength;
  const bool client = role_ == DtlsRole::Client;
  auto fill = [&](std::array<uint8_t, 32>& out, const uint8_t* key, const uint8_t* salt) {
    std::memcpy(out.data(), key, keyLength);
    std::memcpy(out.data() + keyLength, salt, saltLength);
  };
  fill(keys.local, client ? clientKey : serverKey, client ? clientSalt : serverSalt);
  fill(keys.remote, client ? serverKey : clientKey, client ? serverSalt : clientSalt);
  state_ = State::Connected;
  listener_.onDtlsConnected(*this, keys);
}

std::optional<std::chrono::milliseconds> DtlsTransport::timeout() const {
  if (state_ != State::Connecting) return std::nullopt;
  timeval tv{};
  if (DTLSv1_get_timeout(ssl_, &tv) != 1) return std::nullopt;
  return std::chrono::milliseconds(tv.tv_sec * 1000 + tv.tv_usec / 1000);
}

void DtlsTransport::onTimeout() {
  if (state_ != State::Connecting) return;
  if (DTLSv1_handle_timeout(ssl_) < 0) fail("DTLS handshake timed out");
}

void DtlsTransport::close() {
  if (state_ == State::Connected && ssl_) SSL_shutdown(ssl_);
  state_ = State::Closed;
}

void DtlsTransport::releaseSession() {
  if (state_ != State::Connected || !ssl_) return;
  BIO_set_data(outgoing_, nullptr);
  SSL_free(ssl_);  // frees both BIOs too
  ssl_ = nullptr;
  incoming_ = nullptr;
  outgoing_ = nullptr;
}

void DtlsTransport::fail(std::string reason) {
  if (state_ == State::Failed) return;
  state_ = State::Failed;
  failure_ = std::move(reason);
  ERR_clear_error();
  listener_.onDtlsFailed(*this, failure_);
}

}  // namespace callgate::media::rtc
