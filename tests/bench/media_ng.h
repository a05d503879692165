#pragma once
// rtpengine's "ng" control protocol, client side: a cookie, a space and a
// bencoded dictionary per UDP datagram, answered with the same cookie. Only
// what the media load generator needs to drive offer/answer/delete.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace callgate::bench {

using NgValue = std::variant<std::string, std::vector<std::string>>;

// A bencoded dictionary of strings and lists of strings (keys sorted, as
// bencode wants them).
std::string bencodeDict(const std::map<std::string, NgValue>& dict);

// The string values at the top level of a bencoded dictionary; nullopt when
// `text` is not one. Nested lists and dictionaries are skipped.
std::optional<std::map<std::string, std::string>> bdecodeStrings(std::string_view text);

}  // namespace callgate::bench
