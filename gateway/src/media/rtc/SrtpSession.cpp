#include "media/rtc/SrtpSession.h"

#include <nss.h>
#include <srtp2/srtp.h>

#include <cstring>
#include <mutex>

#include "core/Log.h"
#include "media/rtc/SrtpOpenSsl.h"

namespace callgate::media::rtc {
namespace {

// Video needs a wider window than the default 128 when packets reorder.
constexpr unsigned long kReplayWindow = 1024;

SrtpResult resultOf(srtp_err_status_t status) {
  switch (status) {
    case srtp_err_status_ok:
      return SrtpResult::Ok;
    case srtp_err_status_auth_fail:
      return SrtpResult::AuthenticationFailed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return SrtpResult::Replay;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return SrtpResult::Malformed;
    default:
      return SrtpResult::Failed;
  }
}

void setPolicy(srtp_policy_t& policy, SrtpProfile profile, srtp_ssrc_type_t direction,
               uint8_t* key) {
  std::memset(&policy, 0, sizeof policy);
  if (profile == SrtpProfile::AeadAes128Gcm) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
  }
  policy.ssrc.type = direction;
  policy.key = key;
  policy.window_size = kReplayWindow;
  // A relayed stream may legitimately repeat a sequence number (the source
  // retransmitted); refusing it would drop audio for nothing.
  policy.allow_repeat_tx = 1;
}

int toInt(size_t n) {
  return static_cast<int>(n);
}

}  // namespace

void SrtpSession::initLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Debian's libsrtp2 does its crypto with NSS and initialises it for each
    // cipher with NSS_INIT_OPTIMIZESPACE. The first initialisation decides
    // for the process, and with that flag NSS's soft token keeps its sessions
    // and session objects in 32-bucket hash tables: every SRTP packet opens
    // and closes a PKCS#11 session, and with a few hundred calls each such
    // call walked a chain of dozens of entries (a fifth of all CPU time at
    // 200 relayed calls). Initialised here first, without the flag, the
    // tables have 1,024 buckets. The context lives as long as the process.
    [[maybe_unused]] static NSSInitContext* const nss =
        NSS_InitContext("", "", "", "", nullptr,
                        NSS_INIT_READONLY | NSS_INIT_NOCERTDB | NSS_INIT_NOMODDB |
                            NSS_INIT_FORCEOPEN | NSS_INIT_NOROOTINIT);
    srtp_init();
    std::string error;
    if (!installOpenSslSrtpCrypto(&error)) {
      CG_LOG_WARN("media.srtp") << error;
    }
  });
}

std::unique_ptr<SrtpSession> SrtpSession::create(const SrtpKeys& keys, std::string* error) {
  initLibrary();
  std::unique_ptr<SrtpSession> session(new SrtpSession());
  session->profile_ = keys.profile;
  // libsrtp reads key||salt from the policy while creating the session only.
  std::array<uint8_t, 32> local = keys.local;
  std::array<uint8_t, 32> remote = keys.remote;
  // libsrtp takes one wildcard-SSRC policy per session: one session each way.
  srtp_policy_t outbound;
  srtp_policy_t inbound;
  setPolicy(outbound, keys.profile, ssrc_any_outbound, local.data());
  setPolicy(inbound, keys.profile, ssrc_any_inbound, remote.data());
  srtp_t sender = nullptr;
  srtp_t receiver = nullptr;
  auto status = srtp_create(&sender, &outbound);
  if (status == srtp_err_status_ok) status = srtp_create(&receiver, &inbound);
  local.fill(0);
  remote.fill(0);
  if (status != srtp_err_status_ok) {
    if (sender) srtp_dealloc(sender);
    if (error) *error = "libsrtp refused the keys (status " + std::to_string(status) + ")";
    return nullptr;
  }
  session->sender_ = sender;
  session->receiver_ = receiver;
  return session;
}

SrtpSession::~SrtpSession() {
  if (sender_) srtp_dealloc(static_cast<srtp_t>(sender_));
  if (receiver_) srtp_dealloc(static_cast<srtp_t>(receiver_));
}

SrtpResult SrtpSession::protectRtp(uint8_t* packet, size_t& length, size_t capacity) {
  if (capacity < length + SRTP_MAX_TRAILER_LEN) return SrtpResult::Malformed;
  int n = toInt(length);
  const auto result = resultOf(srtp_protect(static_cast<srtp_t>(sender_), packet, &n));
  if (result == SrtpResult::Ok) length = static_cast<size_t>(n);
  return result;
}

SrtpResult SrtpSession::protectRtcp(uint8_t* packet, size_t& length, size_t capacity) {
  if (capacity < length + SRTP_MAX_TRAILER_LEN + 4) return SrtpResult::Malformed;
  int n = toInt(length);
  const auto result = resultOf(srtp_protect_rtcp(static_cast<srtp_t>(sender_), packet, &n));
  if (result == SrtpResult::Ok) length = static_cast<size_t>(n);
  return result;
}

SrtpResult SrtpSession::unprotectRtp(uint8_t* packet, size_t& length) {
  int n = toInt(length);
  const auto result = resultOf(srtp_unprotect(static_cast<srtp_t>(receiver_), packet, &n));
  if (result == SrtpResult::Ok) length = static_cast<size_t>(n);
  return result;
}

SrtpResult SrtpSession::unprotectRtcp(uint8_t* packet, size_t& length) {
  int n = toInt(length);
  const auto result = resultOf(srtp_unprotect_rtcp(static_cast<srtp_t>(receiver_), packet, &n));
  if (result == SrtpResult::Ok) length = static_cast<size_t>(n);
  return result;
}

}  // namespace callgate::media::rtc
