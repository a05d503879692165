#pragma once
// The small JSON subset a Call Me token payload uses (RFC 8259): objects,
// strings, integers, booleans and null; no arrays, no fractions. Hostile
// input is bounded (size, nesting, member count) and rejected with nullopt;
// the reader never throws. The writer escapes what RFC 8259 §7 requires.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::callme {

struct JsonMember;

struct JsonValue {
  enum class Kind { Null, Bool, Integer, String, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  int64_t integer = 0;
  std::string string;
  std::vector<JsonMember> members;  // Object, in document order

  // The member named `key` of an object; null when absent or not an object.
  const JsonValue* find(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

struct JsonLimits {
  size_t maxBytes = 4096;
  size_t maxDepth = 4;     // the top-level object is depth 1
  size_t maxMembers = 64;  // per object
};

// A whole document that is one object; nullopt for anything else, for a
// duplicate key, or for input over the limits.
std::optional<JsonValue> parseJsonObject(std::string_view text, const JsonLimits& limits = {});

// `"text"` with RFC 8259 §7 escapes; non-ASCII bytes are passed through.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace callgate::callme
