#pragma once
// Text forms of the XML-RPC scalars (spec "Scalar <value>s") and method
// names. Parsers take
// the element content with surrounding whitespace already trimmed and never
// throw.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callgate::mgmt::xmlrpc {

// [+-]?[0-9]+ within [min, max]; nothing else.
std::optional<int64_t> parseIntegerText(std::string_view text, int64_t min, int64_t max);

// Decimal notation as the spec asks, plus an exponent since common clients
// (Python's xmlrpc.client) send one. No inf, nan or hex; values outside the
// double range are refused rather than rounded to infinity or zero.
std::optional<double> parseDoubleText(std::string_view text);

// The shortest decimal-point form that parses back to the same double
// (no exponent, which the spec does not allow). `value` must be finite.
std::string formatDouble(double value);

// Loose ISO 8601 check for <dateTime.iso8601>, whose exact form the spec
// leaves open ("19980717T14:08:55", "2024-01-31T09:00:00Z", offsets and
// fractions occur): digits first, then only digits and T - : . + Z.
bool isDateTimeText(std::string_view text);

// Spec "Payload format": a methodName holds only "upper and lower-case A-Z,
// the numeric characters, 0-9, underscore, dot, colon and slash"; we also cap
// its length.
bool isMethodName(std::string_view name);

}  // namespace callgate::mgmt::xmlrpc
