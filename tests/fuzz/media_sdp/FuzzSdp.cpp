// Fuzzes the SDP parser and asserts the round-trip property the writer
// promises: for every accepted input X, parseSdp(writeSdp(parseSdp(X))) ==
// parseSdp(X). The same holds for a lone candidate value.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "media/sdp/SdpParser.h"
#include "media/sdp/SdpWriter.h"

namespace {

using namespace callgate::media::sdp;

[[noreturn]] void mismatch(const char* what, const std::string& first, const std::string& second) {
  std::fprintf(stderr, "%s\n--- first ---\n%s\n--- second ---\n%s\n", what, first.c_str(),
               second.c_str());
  std::abort();
}

void checkDescription(std::string_view text) {
  std::string error;
  const auto parsed = parseSdp(text, &error);
  if (!parsed) {
    if (error.empty()) mismatch("rejected without a reason", std::string(text), "");
    return;
  }
  // Exercise the inheritance helpers on every section.
  for (const auto& m : parsed->media) {
    (void)effectiveDirection(*parsed, m);
    (void)effectiveFingerprints(*parsed, m);
    (void)effectiveSetup(*parsed, m);
    (void)effectiveIceCredentials(*parsed, m);
    (void)effectiveConnection(*parsed, m);
  }
  (void)findGroup(*parsed, "BUNDLE");

  // Writing can add a CR per line and an a=rtpmap per static payload type
  // (at most kMaxAttributes lines of about 26 bytes, ~28 KiB in all), so
  // only inputs up to half the size limit are sure to be re-readable.
  if (text.size() > kMaxSdpBytes / 2) return;
  const auto written = writeSdp(*parsed);
  std::string error2;
  const auto reparsed = parseSdp(written, &error2);
  if (!reparsed) mismatch(("written SDP rejected: " + error2).c_str(), written, "");
  if (!(*reparsed == *parsed))
    mismatch("round trip changed the description", written, writeSdp(*reparsed));
}

void checkCandidate(std::string_view text) {
  const auto parsed = parseCandidate(text, nullptr);
  if (!parsed) return;
  const auto written = writeCandidate(*parsed);
  const auto reparsed = parseCandidate(written, nullptr);
  if (!reparsed || !(*reparsed == *parsed)) {
    mismatch("candidate round trip changed", std::string(text), written);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  checkDescription(text);
  checkCandidate(text);
  return 0;
}
