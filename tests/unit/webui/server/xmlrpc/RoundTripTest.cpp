// What the encoder writes, the parser reads back as the same values.

#include <boost/test/unit_test.hpp>
#include <limits>
#include <string>

#include "XmlRpcTestUtil.h"
#include "xmlrpc/Encoder.h"
#include "xmlrpc/Parser.h"
#include "xmlrpc/ValueEquality.h"

using namespace callgate::mgmt::xmlrpc;
using namespace callgate::mgmt::xmlrpc::test;

namespace {

Value sample() {
  Struct call;
  call.insert("id", std::string("a84b4c76e66710@pc33.shop.example"));
  call.insert("from", std::string("\"Alice, Shopper\" <sip:alice@shop.example>"));
  call.insert("started", Poco::Int64{1700000000123LL});
  call.insert("mos", 4.31);
  call.insert("recording", true);
  call.insert("notes", std::string("line 1\r\nline 2\ttab & <tag> ]]>"));
  call.insert("blob", std::string("\x00\x01\x02\xff\x1b[0m", 8));
  call.insert("peer", Value());
  call.insert("", std::string("empty name"));
  Array legs{Value(std::string("webrtc")), Value(std::string("sip")), Value(Array{}),
             Value(Struct{})};
  call.insert("legs", legs);
  Array numbers{Value(Poco::Int64{0}),
                Value(Poco::Int64{std::numeric_limits<int32_t>::min()}),
                Value(Poco::Int64{std::numeric_limits<int64_t>::max()}),
                Value(Poco::Int64{std::numeric_limits<int64_t>::min()}),
                Value(-0.0),
                Value(0.1),
                Value(1e300),
                Value(-2.5e-300),
                Value(std::numeric_limits<double>::max()),
                Value(std::numeric_limits<double>::min())};
  call.insert("numbers", numbers);
  return call;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xmlrpc_round_trip)

BOOST_AUTO_TEST_CASE(response_value) {
  const Value v = sample();
  const auto r = parseMethodResponse(encodeResponse(v));
  BOOST_REQUIRE_MESSAGE(r.response.has_value(), r.error.message);
  BOOST_TEST(!r.response->fault.has_value());
  BOOST_TEST(sameValue(r.response->value, v));
  BOOST_TEST(r.response->value["notes"].extract<std::string>() ==
             "line 1\r\nline 2\ttab & <tag> ]]>");
  BOOST_TEST(r.response->value["blob"].extract<std::string>().size() == 8U);
}

BOOST_AUTO_TEST_CASE(method_call) {
  const Array params{sample(), Value(std::string("second")), Value()};
  const auto call = requireCall(encodeMethodCall("callgate.callEnded", params));
  BOOST_TEST(call.methodName == "callgate.callEnded");
  BOOST_REQUIRE_EQUAL(call.params.size(), 3U);
  for (size_t i = 0; i < params.size(); ++i) BOOST_TEST(sameValue(call.params[i], params[i]));
}

BOOST_AUTO_TEST_CASE(fault) {
  const auto r = parseMethodResponse(encodeFault(kInvalidParams, "expected 2 params, got 3 <&>"));
  BOOST_REQUIRE(r.response.has_value());
  BOOST_REQUIRE(r.response->fault.has_value());
  BOOST_TEST(r.response->fault->code == kInvalidParams);
  BOOST_TEST(r.response->fault->message == "expected 2 params, got 3 <&>");
}

BOOST_AUTO_TEST_CASE(parse_errors_become_faults_a_client_can_read) {
  const auto error = parseMethodCall("<methodCall><methodName>a</methodName><params>");
  BOOST_REQUIRE(!error.call.has_value());
  const auto r = parseMethodResponse(encodeFault(error.error.code, error.error.message));
  BOOST_REQUIRE(r.response.has_value() && r.response->fault.has_value());
  BOOST_TEST(r.response->fault->code == kParseError);
  BOOST_TEST(r.response->fault->message == "document ends inside <params> at line 1");
}

BOOST_AUTO_TEST_CASE(same_value_compares_deeply) {
  BOOST_TEST(sameValue(sample(), sample()));
  Value other = sample();
  other["legs"][1] = std::string("SIP");
  BOOST_TEST(!sameValue(sample(), other));
  BOOST_TEST(!sameValue(Value(Poco::Int64{1}), Value(1.0)));
  BOOST_TEST(!sameValue(Value(), Value(std::string())));
  BOOST_TEST(sameValue(Value(), Value()));
}

BOOST_AUTO_TEST_SUITE_END()
