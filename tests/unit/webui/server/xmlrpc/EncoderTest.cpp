// The bytes the encoder produces, escaping, and the values it refuses.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "Poco/DateTime.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/UUID.h"
#include "XmlRpcTestUtil.h"
#include "xmlrpc/Encoder.h"

using namespace callgate::mgmt::xmlrpc;
using namespace callgate::mgmt::xmlrpc::test;

namespace {

const std::string kHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

// The <value> inside a response document.
std::string valueXml(const Value& v) {
  const std::string doc = encodeResponse(v);
  const std::string open = kHead + "<methodResponse><params><param>";
  const std::string close = "</param></params></methodResponse>\n";
  BOOST_REQUIRE(doc.starts_with(open));
  BOOST_REQUIRE(doc.ends_with(close));
  return doc.substr(open.size(), doc.size() - open.size() - close.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xmlrpc_encoder)

BOOST_AUTO_TEST_CASE(response_document) {
  BOOST_TEST(encodeResponse(std::string("South Dakota")) ==
             kHead +
                 "<methodResponse><params><param><value><string>South Dakota</string></value>"
                 "</param></params></methodResponse>\n");
}

BOOST_AUTO_TEST_CASE(scalars) {
  BOOST_TEST(valueXml(Value()) == "<value><nil/></value>");
  BOOST_TEST(valueXml(true) == "<value><boolean>1</boolean></value>");
  BOOST_TEST(valueXml(false) == "<value><boolean>0</boolean></value>");
  BOOST_TEST(valueXml(41) == "<value><int>41</int></value>");
  BOOST_TEST(valueXml(Poco::Int64{-2147483648LL}) == "<value><int>-2147483648</int></value>");
  BOOST_TEST(valueXml(Poco::Int64{2147483648LL}) == "<value><i8>2147483648</i8></value>");
  BOOST_TEST(valueXml(Poco::UInt16{65535}) == "<value><int>65535</int></value>");
  BOOST_TEST(valueXml(std::numeric_limits<Poco::UInt64>::max() / 2) ==
             "<value><i8>9223372036854775807</i8></value>");
  BOOST_TEST(valueXml(-12.214) == "<value><double>-12.214</double></value>");
  BOOST_TEST(valueXml(3.0) == "<value><double>3.0</double></value>");
  BOOST_TEST(valueXml(1e21) == "<value><double>1000000000000000000000.0</double></value>");
  BOOST_TEST(valueXml(0.000001) == "<value><double>0.000001</double></value>");
  BOOST_TEST(valueXml(0.5f) == "<value><double>0.5</double></value>");
  BOOST_TEST(valueXml(std::string()) == "<value><string></string></value>");
  BOOST_TEST(valueXml("literal") == "<value><string>literal</string></value>");
  BOOST_TEST(valueXml(Poco::DateTime(1998, 7, 17, 14, 8, 55)) ==
             "<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>");
}

BOOST_AUTO_TEST_CASE(escaping) {
  BOOST_TEST(valueXml(std::string("a<b>&c\"d'e ]]> f")) ==
             "<value><string>a&lt;b&gt;&amp;c\"d'e ]]&gt; f</string></value>");
  // Tab and LF are text; CR must be a reference or the reader turns it into LF.
  BOOST_TEST(valueXml(std::string("a\tb\nc\r\nd")) ==
             "<value><string>a\tb\nc&#13;\nd</string></value>");
  BOOST_TEST(valueXml(std::string("M\xC3\xBCller \xF0\x9F\x98\x80")) ==
             "<value><string>M\xC3\xBCller \xF0\x9F\x98\x80</string></value>");
}

BOOST_AUTO_TEST_CASE(text_xml_cannot_carry_goes_as_base64) {
  BOOST_TEST(valueXml(std::string("bell\x07")) == "<value><base64>YmVsbAc=</base64></value>");
  BOOST_TEST(valueXml(std::string("\x00\x01\xff", 3)) == "<value><base64>AAH/</base64></value>");
  BOOST_TEST(valueXml(std::string("\xC3\x28")) == "<value><base64>wyg=</base64></value>");
}

BOOST_AUTO_TEST_CASE(containers) {
  Struct s;
  s.insert("upperBound", 139);
  s.insert("lowerBound", 18);
  BOOST_TEST(valueXml(s) ==
             "<value><struct>"
             "<member><name>lowerBound</name><value><int>18</int></value></member>"
             "<member><name>upperBound</name><value><int>139</int></value></member>"
             "</struct></value>");
  const Array a{Value(12), Value(std::string("Egypt")), Value(false), Value(-31)};
  BOOST_TEST(valueXml(a) ==
             "<value><array><data><value><int>12</int></value>"
             "<value><string>Egypt</string></value><value><boolean>0</boolean></value>"
             "<value><int>-31</int></value></data></array></value>");
  BOOST_TEST(valueXml(Array{}) == "<value><array><data></data></array></value>");
  BOOST_TEST(valueXml(Struct{}) == "<value><struct></struct></value>");
  Struct escaped;
  escaped.insert("a&b", Value());
  BOOST_TEST(valueXml(escaped) ==
             "<value><struct><member><name>a&amp;b</name><value><nil/></value></member>"
             "</struct></value>");
}

BOOST_AUTO_TEST_CASE(json_objects_and_arrays) {
  Poco::JSON::Object::Ptr call = new Poco::JSON::Object;
  call->set("id", std::string("c1"));
  call->set("duration", 12.5);
  Poco::JSON::Array::Ptr legs = new Poco::JSON::Array;
  legs->add(std::string("webrtc"));
  legs->add(std::string("sip"));
  call->set("legs", legs);
  call->set("peer", Poco::JSON::Object::Ptr());
  BOOST_TEST(valueXml(call) ==
             "<value><struct>"
             "<member><name>duration</name><value><double>12.5</double></value></member>"
             "<member><name>id</name><value><string>c1</string></value></member>"
             "<member><name>legs</name><value><array><data><value><string>webrtc</string>"
             "</value><value><string>sip</string></value></data></array></value></member>"
             "<member><name>peer</name><value><nil/></value></member>"
             "</struct></value>");
  BOOST_TEST(valueXml(*legs) ==
             "<value><array><data><value><string>webrtc</string></value>"
             "<value><string>sip</string></value></data></array></value>");
}

BOOST_AUTO_TEST_CASE(fault_document_and_sanitising) {
  BOOST_TEST(encodeFault(4, "Too many parameters.") ==
             kHead +
                 "<methodResponse><fault><value><struct>"
                 "<member><name>faultCode</name><value><int>4</int></value></member>"
                 "<member><name>faultString</name><value><string>Too many parameters.</string>"
                 "</value></member></struct></value></fault></methodResponse>\n");
  const std::string doc = encodeFault(-32700, std::string("bad \x01 <x> \xC3 end\x00", 16));
  BOOST_TEST(
      contains(doc, "<string>bad \xEF\xBF\xBD &lt;x&gt; \xEF\xBF\xBD end\xEF\xBF\xBD</string>"));
}

BOOST_AUTO_TEST_CASE(method_call_document) {
  BOOST_TEST(encodeMethodCall("examples.getStateName", {Value(41)}) ==
             kHead +
                 "<methodCall><methodName>examples.getStateName</methodName><params>"
                 "<param><value><int>41</int></value></param></params></methodCall>\n");
  BOOST_TEST(encodeMethodCall("system.listMethods", {}) ==
             kHead +
                 "<methodCall><methodName>system.listMethods</methodName><params></params>"
                 "</methodCall>\n");
}

BOOST_AUTO_TEST_CASE(values_xml_rpc_cannot_carry) {
  BOOST_CHECK_THROW(encodeResponse(std::nan("")), EncodeError);
  BOOST_CHECK_THROW(encodeResponse(std::numeric_limits<double>::infinity()), EncodeError);
  BOOST_CHECK_THROW(encodeResponse(std::numeric_limits<Poco::UInt64>::max()), EncodeError);
  BOOST_CHECK_THROW(encodeResponse(Poco::UUID::dns()), EncodeError);
  Struct badName;
  badName.insert(std::string("a\x01"), 1);
  BOOST_CHECK_THROW(encodeResponse(badName), EncodeError);
  BOOST_CHECK_THROW(encodeMethodCall("a b", {}), EncodeError);
  BOOST_CHECK_THROW(encodeMethodCall("", {}), EncodeError);
  BOOST_CHECK_THROW(encodeMethodCall("<x>", {}), EncodeError);
}

BOOST_AUTO_TEST_CASE(depth_limit_matches_the_parser) {
  Value v = 1;
  for (int i = 0; i < 32; ++i) v = Array{v};
  BOOST_CHECK_NO_THROW(encodeResponse(v));
  const Value deeper = Array{v};
  BOOST_CHECK_THROW(encodeResponse(deeper), EncodeError);
  // A JSON object that contains itself is cut off by the same limit.
  Poco::JSON::Object::Ptr loop = new Poco::JSON::Object;
  loop->set("self", loop);
  BOOST_CHECK_THROW(encodeResponse(loop), EncodeError);
  loop->remove("self");  // break the reference cycle
}

BOOST_AUTO_TEST_SUITE_END()
