#include "media/sdp/SessionDescription.h"

#include <array>

#include "media/sdp/SdpText.h"

namespace callgate::media::sdp {
namespace {

struct StaticEntry {
  uint8_t payloadType;
  std::string_view encoding;
  uint32_t clockRate;
  uint32_t channels;
};
// RFC 3551 §6, Tables 4 (audio) and 5 (video). Payload types 1, 2, 19-24 and
// 27, 29, 30 are reserved or unassigned and get no default.
constexpr std::array<StaticEntry, 24> kStaticTypes{{
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 1},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},  {25, "CelB", 90000, 1}, {26, "JPEG", 90000, 1}, {28, "nv", 90000, 1},
    {31, "H261", 90000, 1}, {32, "MPV", 90000, 1},  {33, "MP2T", 90000, 1}, {34, "H263", 90000, 1},
}};

constexpr std::array<std::string_view, 4> kDirectionNames{"sendrecv", "sendonly", "recvonly",
                                                          "inactive"};
constexpr std::array<std::string_view, 5> kSetupNames{"", "actpass", "active", "passive",
                                                      "holdconn"};

}  // namespace

const Format* MediaDescription::findFormat(uint8_t pt) const {
  for (const auto& format : formats) {
    if (format.payloadType == pt) return &format;
  }
  return nullptr;
}

Format* MediaDescription::findFormat(uint8_t pt) {
  for (auto& format : formats) {
    if (format.payloadType == pt) return &format;
  }
  return nullptr;
}

bool MediaDescription::isRtp() const {
  return isRtpProtocol(protocol);
}

Direction effectiveDirection(const SessionDescription& session, const MediaDescription& media) {
  if (media.direction) return *media.direction;
  return session.direction.value_or(Direction::SendRecv);
}

const std::vector<Fingerprint>& effectiveFingerprints(const SessionDescription& session,
                                                      const MediaDescription& media) {
  return media.fingerprints.empty() ? session.fingerprints : media.fingerprints;
}

Setup effectiveSetup(const SessionDescription& session, const MediaDescription& media) {
  return media.setup != Setup::None ? media.setup : session.setup;
}

std::pair<std::string_view, std::string_view> effectiveIceCredentials(
    const SessionDescription& session, const MediaDescription& media) {
  return {media.iceUfrag.empty() ? session.iceUfrag : media.iceUfrag,
          media.icePwd.empty() ? session.icePwd : media.icePwd};
}

std::optional<Connection> effectiveConnection(const SessionDescription& session,
                                              const MediaDescription& media) {
  return media.connection ? media.connection : session.connection;
}

const Group* findGroup(const SessionDescription& session, std::string_view semantics) {
  for (const auto& group : session.groups) {
    if (text::equalsIgnoreCase(group.semantics, semantics)) return &group;
  }
  return nullptr;
}

std::string_view directionName(Direction direction) {
  const auto index = static_cast<size_t>(direction);
  return index < kDirectionNames.size() ? kDirectionNames[index] : std::string_view{};
}

std::optional<Direction> parseDirection(std::string_view name) {
  for (size_t i = 0; i < kDirectionNames.size(); ++i) {
    if (kDirectionNames[i] == name) return static_cast<Direction>(i);
  }
  return std::nullopt;
}

std::string_view setupName(Setup setup) {
  const auto index = static_cast<size_t>(setup);
  return index < kSetupNames.size() ? kSetupNames[index] : std::string_view{};
}

std::optional<Setup> parseSetup(std::string_view value) {
  for (size_t i = 1; i < kSetupNames.size(); ++i) {
    if (text::equalsIgnoreCase(kSetupNames[i], value)) return static_cast<Setup>(i);
  }
  return std::nullopt;
}

std::optional<Format> staticFormat(uint8_t payloadType) {
  for (const auto& entry : kStaticTypes) {
    if (entry.payloadType == payloadType) {
      Format format;
      format.payloadType = payloadType;
      format.encoding = entry.encoding;
      format.clockRate = entry.clockRate;
      format.channels = entry.channels;
      return format;
    }
  }
  return std::nullopt;
}

bool isRtpProtocol(std::string_view protocol) {
  return protocol.find("RTP/") != std::string_view::npos;
}

}  // namespace callgate::media::sdp
