#pragma once
// OpenSSL, wrapped once: an SSL_CTX for our TLS/WSS listeners or for TLS
// connections we open toward peers. Control plane: errors throw with
// OpenSSL's own reason text.

#include <memory>
#include <string>
#include <string_view>

struct ssl_ctx_st;
struct ssl_st;

namespace callgate::net {

class TlsContext {
 public:
  // Server side from PEM text (certificate chain, private key). TLS 1.2+.
  static std::unique_ptr<TlsContext> server(std::string_view certificatePem,
                                            std::string_view privateKeyPem);
  // Client side; `caBundlePem` empty means the system store; `verifyPeers`
  // false accepts any certificate (call centres often run self-signed ones).
  static std::unique_ptr<TlsContext> client(std::string_view caBundlePem, bool verifyPeers);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A new SSL handle for one connection; the caller owns it (SSL_free).
  ssl_st* newSession() const;
  bool isServer() const { return server_; }
  bool verifiesPeers() const { return verify_; }

 private:
  TlsContext(ssl_ctx_st* ctx, bool server, bool verify)
      : ctx_(ctx), server_(server), verify_(verify) {}
  ssl_ctx_st* ctx_;
  bool server_;
  bool verify_;
};

// The last OpenSSL error as text, and the queue cleared.
std::string opensslError();

}  // namespace callgate::net
