#pragma once
// libsrtp's AES-128-GCM and AES-128-ICM ciphers and its HMAC-SHA1
// authenticator computed with OpenSSL, installed into libsrtp's crypto kernel
// (srtp_replace_cipher_type / srtp_replace_auth_type) in place of the NSS
// ones Debian's libsrtp2 is built with. libsrtp keeps doing SRTP itself
// (key derivation, packet index, replay window, framing); only the block
// cipher and MAC change. NSS opens and closes a PKCS#11 session, allocates
// and takes locks for every packet; these keep one OpenSSL context per key
// and neither allocate nor lock per packet.
//
// libsrtp runs its own known-answer tests on each replacement before taking
// it, and a replacement that fails them is not installed.

#include <string>

namespace callgate::media::rtc {

// Once, after srtp_init(). False (with the reason) if any part was refused;
// libsrtp then keeps its own implementation of that part.
bool installOpenSslSrtpCrypto(std::string* error);

}  // namespace callgate::media::rtc
