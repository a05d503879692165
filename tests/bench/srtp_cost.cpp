// Cost of SRTP per packet through SrtpSession (libsrtp2 as Debian builds it),
// for each profile the gateway negotiates: protect on one session, unprotect
// on its peer, for an Opus-sized RTP packet. Prints figures, decides nothing.
//
//   srtp_cost [PACKETS]   (default 200000)

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "media/rtc/SrtpSession.h"

using namespace callgate::media::rtc;

namespace {

double nsPer(std::chrono::steady_clock::duration d, long count) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()) /
         static_cast<double>(count);
}

void measure(SrtpProfile profile, long packets) {
  SrtpKeys a{.profile = profile, .local = {}, .remote = {}};
  for (size_t i = 0; i < a.local.size(); ++i) {
    a.local[i] = static_cast<uint8_t>(i * 7 + 1);
    a.remote[i] = static_cast<uint8_t>(i * 13 + 5);
  }
  SrtpKeys b{.profile = profile, .local = a.remote, .remote = a.local};
  std::string error;
  auto sender = SrtpSession::create(a, &error);
  auto receiver = SrtpSession::create(b, &error);
  if (!sender || !receiver) {
    std::printf("srtp profile=%s error=%s\n", std::string(srtpProfileName(profile)).c_str(),
                error.c_str());
    return;
  }
  uint8_t packet[1500] = {};
  std::chrono::steady_clock::duration protect{}, unprotect{};
  long failures = 0;
  for (long n = 0; n < packets; ++n) {
    // A 20 ms Opus packet: 12-byte header and ~70 bytes of payload.
    packet[0] = 0x80;
    packet[1] = 111;
    packet[2] = static_cast<uint8_t>(n >> 8);
    packet[3] = static_cast<uint8_t>(n);
    const uint32_t ts = static_cast<uint32_t>(n) * 960;
    packet[4] = static_cast<uint8_t>(ts >> 24);
    packet[5] = static_cast<uint8_t>(ts >> 16);
    packet[6] = static_cast<uint8_t>(ts >> 8);
    packet[7] = static_cast<uint8_t>(ts);
    packet[8] = 0x11;
    packet[9] = 0x22;
    packet[10] = 0x33;
    packet[11] = 0x44;
    size_t length = 82;
    const auto t0 = std::chrono::steady_clock::now();
    const bool sealed = sender->protectRtp(packet, length, sizeof packet) == SrtpResult::Ok;
    const auto t1 = std::chrono::steady_clock::now();
    const bool opened = sealed && receiver->unprotectRtp(packet, length) == SrtpResult::Ok;
    const auto t2 = std::chrono::steady_clock::now();
    protect += t1 - t0;
    unprotect += t2 - t1;
    if (!opened) ++failures;
  }
  std::printf("srtp profile=%s packets=%ld protect_ns=%.0f unprotect_ns=%.0f failures=%ld\n",
              std::string(srtpProfileName(profile)).c_str(), packets, nsPer(protect, packets),
              nsPer(unprotect, packets), failures);
}

}  // namespace

int main(int argc, char** argv) {
  const long packets = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 200000;
  SrtpSession::initLibrary();
  measure(SrtpProfile::AeadAes128Gcm, packets);
  measure(SrtpProfile::AesCm128HmacSha1_80, packets);
  return 0;
}
