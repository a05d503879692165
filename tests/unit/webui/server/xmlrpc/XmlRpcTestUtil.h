#pragma once
// Shorthands for the XML-RPC codec tests.

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>

#include "xmlrpc/Parser.h"

namespace callgate::mgmt::xmlrpc::test {

// A methodCall "t.m" whose single param is `valueXml` (a <value> element).
inline std::string callWith(std::string_view valueXml) {
  return "<?xml version=\"1.0\"?><methodCall><methodName>t.m</methodName><params><param>" +
         std::string(valueXml) + "</param></params></methodCall>";
}

inline MethodCall requireCall(std::string_view body) {
  auto r = parseMethodCall(body);
  BOOST_REQUIRE_MESSAGE(r.call.has_value(), "parse failed: " << r.error.message);
  return std::move(*r.call);
}

// The single param of callWith(valueXml).
inline Value requireParam(std::string_view valueXml) {
  auto call = requireCall(callWith(valueXml));
  BOOST_REQUIRE_EQUAL(call.params.size(), 1U);
  return call.params[0];
}

inline Fault callError(std::string_view body) {
  auto r = parseMethodCall(body);
  BOOST_REQUIRE_MESSAGE(!r.call.has_value(), "accepted: " << body.substr(0, 200));
  return r.error;
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace callgate::mgmt::xmlrpc::test
