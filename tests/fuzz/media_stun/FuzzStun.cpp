// Fuzzes StunMessage::parse, attribute iteration and every getter, and checks
// FINGERPRINT and MESSAGE-INTEGRITY with a fixed key (seeds are signed with
// it). A parsed message is then rebuilt with StunWriter and must verify.
// Every input also goes to an IceDirectPath (the served pair's STUN handling,
// with the seeds' ufrag and key), which answers into a closed descriptor.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "media/rtc/IceDirectPath.h"
#include "media/stun/StunMessage.h"

namespace {

constexpr std::string_view kKey = "fuzz-key";

void check(bool condition) {
  if (!condition) std::abort();
}

void serve(std::span<const uint8_t> input) {
  using namespace callgate;
  static const auto peer = *net::SocketAddress::fromIp("192.0.2.7", 5000);
  static media::rtc::IceDirectPath path(
      -1, peer, {"aB3d", std::string(kKey), "xY9z", std::string(kKey)}, false, {}, 0);
  path.sendConsentCheck(0);  // an outstanding transaction for answers to match
  const auto verdict = path.onDatagram(input, peer, 1);
  check(verdict != media::rtc::IceDirectPath::Verdict::Media || input.empty() || input[0] > 3);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace callgate::media::stun;
  const std::span<const uint8_t> input(data, size);
  serve(input);
  const bool looks = looksLikeStun(input);
  const auto message = StunMessage::parse(input);
  if (!message) return 0;
  check(looks);

  uint64_t sum = message->method() + static_cast<unsigned>(message->messageClass());
  for (const uint8_t b : message->transactionId()) sum += b;
  size_t attributes = 0;
  for (const StunAttribute a : *message) {
    ++attributes;
    check(a.value.data() >= data && a.value.data() + a.value.size() <= data + size);
    sum += a.type + a.value.size();
  }
  if (const auto u = message->username()) sum += u->size();
  sum += message->priority().value_or(0) + message->useCandidate();
  sum += message->iceControlling().value_or(0) + message->iceControlled().value_or(0);
  if (const auto address = message->xorMappedAddress()) {
    check(address->valid());
    sum += address->port();
  }
  if (const auto error = message->errorCode()) {
    check(error->code >= 300 && error->code <= 699);
    sum += error->reason.size();
  }
  sum += message->verifyFingerprint() + message->verifyMessageIntegrity(kKey);
  check(!message->verifyFingerprint() || message->hasFingerprint());
  check(!message->verifyMessageIntegrity(kKey) || message->hasMessageIntegrity());
  (void)sum;
  (void)attributes;

  // Rebuild: same type and transaction, the attributes before integrity, then
  // fresh integrity and fingerprint, which must verify.
  if (size > 60000) return 0;  // leave room for the added attributes
  std::array<uint8_t, 1 << 16> out;
  StunWriter writer(out);
  check(writer.begin(message->method(), message->messageClass(), message->transactionId()));
  for (const StunAttribute a : *message) {
    if (a.type == StunAttr::kMessageIntegrity || a.type == StunAttr::kFingerprint) break;
    check(writer.addAttribute(a.type, a.value));
  }
  check(writer.addMessageIntegrity(kKey));
  check(writer.addFingerprint());
  const auto rebuilt = StunMessage::parse(writer.bytes());
  check(rebuilt.has_value());
  check(rebuilt->method() == message->method());
  check(rebuilt->messageClass() == message->messageClass());
  check(rebuilt->verifyMessageIntegrity(kKey));
  check(rebuilt->verifyFingerprint());
  check(rebuilt->username() == message->username());
  check(rebuilt->priority() == message->priority());
  return 0;
}
