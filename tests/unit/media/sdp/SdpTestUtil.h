#pragma once
// Fixture loading and Boost.Test printers for the SDP tests.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "media/sdp/SdpParser.h"
#include "media/sdp/SdpWriter.h"
#include "media/sdp/SessionDescription.h"

namespace callgate::media::sdp {
inline std::ostream& operator<<(std::ostream& out, Direction d) {
  return out << directionName(d);
}
inline std::ostream& operator<<(std::ostream& out, Setup s) {
  return out << (s == Setup::None ? std::string_view("<none>") : setupName(s));
}
inline std::ostream& operator<<(std::ostream& out, const Candidate& c) {
  return out << writeCandidate(c);
}
// A description prints as the SDP it writes, which shows any difference.
inline std::ostream& operator<<(std::ostream& out, const SessionDescription& s) {
  return out << "\n" << writeSdp(s);
}
}  // namespace callgate::media::sdp

namespace sdptest {

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing file " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::filesystem::path fixtureDir() {
  return std::filesystem::path(CALLGATE_FIXTURES_DIR) / "sdp";
}

inline std::filesystem::path corpusDir() {
  return std::filesystem::path(CALLGATE_FIXTURES_DIR) / ".." / "fuzz" / "corpus" / "fuzz_sdp";
}

inline std::string fixture(const std::string& name) {
  return readFile(fixtureDir() / name);
}

// Every regular file in `dir`, sorted by name so failures are repeatable.
inline std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Parses text that must be accepted; the error message becomes the failure.
inline callgate::media::sdp::SessionDescription mustParse(const std::string& text) {
  std::string error;
  auto parsed = callgate::media::sdp::parseSdp(text, &error);
  if (!parsed) throw std::runtime_error("rejected: " + error);
  return std::move(*parsed);
}

// The error parseSdp reports for text that must be rejected ("" if accepted).
inline std::string parseError(const std::string& text) {
  std::string error;
  if (callgate::media::sdp::parseSdp(text, &error)) return "";
  return error;
}

// Joins lines with CRLF (and ends the last one).
inline std::string crlf(std::initializer_list<const char*> lines) {
  std::string out;
  for (const char* line : lines) {
    out += line;
    out += "\r\n";
  }
  return out;
}

}  // namespace sdptest
