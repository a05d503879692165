#include "callme/TimeZone.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace callgate::callme {
namespace {

constexpr size_t kHeaderBytes = 44;
constexpr size_t kMaxFileBytes = 1 << 20;
constexpr uint32_t kMaxTransitions = 20000;

uint32_t be32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

int64_t be64(std::string_view s, size_t at) {
  return static_cast<int64_t>(static_cast<uint64_t>(be32(s, at)) << 32 | be32(s, at + 4));
}

// RFC 8536 §3.1: the counts of one header.
struct Counts {
  uint32_t isut, isstd, leap, time, type, chars;
};

std::optional<Counts> header(std::string_view s, size_t at) {
  if (s.size() < at + kHeaderBytes || s.substr(at, 4) != "TZif") return std::nullopt;
  Counts c{be32(s, at + 20), be32(s, at + 24), be32(s, at + 28),
           be32(s, at + 32), be32(s, at + 36), be32(s, at + 40)};
  // §3.1: typecnt must not be zero; isut/isstd are zero or typecnt.
  if (c.type == 0 || c.type > 256 || c.time > kMaxTransitions || c.leap > 10000 ||
      c.chars > 65536 || (c.isut != 0 && c.isut != c.type) || (c.isstd != 0 && c.isstd != c.type))
    return std::nullopt;
  return c;
}

size_t blockBytes(const Counts& c, size_t timeBytes) {
  return c.time * timeBytes + c.time + c.type * 6 + c.chars + c.leap * (timeBytes + 4) + c.isstd +
         c.isut;
}

bool validName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != name.npos)
    return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

TimeZone TimeZone::utc() {
  TimeZone z;
  z.name_ = "UTC";
  z.offsets_.push_back(0);
  return z;
}

std::optional<TimeZone> TimeZone::fromTzif(std::string_view s, std::string name) {
  if (s.size() > kMaxFileBytes) return std::nullopt;
  auto first = header(s, 0);
  if (!first) return std::nullopt;
  const char version = s[4];
  size_t at = kHeaderBytes;
  Counts c = *first;
  size_t timeBytes = 4;
  if (version >= '2') {
    // Skip the 32-bit block: the 64-bit one after it is authoritative (§3.2).
    at += blockBytes(c, 4);
    auto second = header(s, at);
    if (!second) return std::nullopt;
    c = *second;
    at += kHeaderBytes;
    timeBytes = 8;
  } else if (version != '\0') {
    return std::nullopt;
  }
  if (s.size() < at + blockBytes(c, timeBytes)) return std::nullopt;

  TimeZone z;
  z.name_ = std::move(name);
  z.transitions_.reserve(c.time);
  for (uint32_t i = 0; i < c.time; ++i) {
    const size_t p = at + i * timeBytes;
    const int64_t t =
        timeBytes == 8 ? be64(s, p) : static_cast<int64_t>(static_cast<int32_t>(be32(s, p)));
    if (!z.transitions_.empty() && t <= z.transitions_.back()) return std::nullopt;
    z.transitions_.push_back(t);
  }
  at += c.time * timeBytes;
  for (uint32_t i = 0; i < c.time; ++i) {
    const auto type = static_cast<uint8_t>(s[at + i]);
    if (type >= c.type) return std::nullopt;
    z.transitionTypes_.push_back(type);
  }
  at += c.time;
  for (uint32_t i = 0; i < c.type; ++i) {
    const auto offset = static_cast<int32_t>(be32(s, at + i * 6));
    // §3.2: utoff in [-89999, 93599]; -2^31 is not allowed.
    if (offset < -89999 || offset > 93599) return std::nullopt;
    z.offsets_.push_back(offset);
  }
  return z;
}

std::optional<TimeZone> TimeZone::load(std::string_view name, std::string_view root) {
  if (name.empty() || name == "UTC") return utc();
  if (!validName(name)) return std::nullopt;
  std::ifstream in(std::string(root) + "/" + std::string(name), std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes;
  bytes.resize(kMaxFileBytes + 1);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return fromTzif(bytes, std::string(name));
}

int32_t TimeZone::offsetAt(int64_t unixSeconds) const {
  // §3.2: before the first transition, local time type 0 applies.
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), unixSeconds);
  if (it == transitions_.begin()) return offsets_.front();
  const auto index = static_cast<size_t>(std::distance(transitions_.begin(), it) - 1);
  return offsets_[transitionTypes_[index]];
}

}  // namespace callgate::callme
