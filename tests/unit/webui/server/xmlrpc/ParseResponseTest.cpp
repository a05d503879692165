// Responses as servers send them: a value or a fault, as in the spec.

#include <boost/test/unit_test.hpp>
#include <string>

#include "XmlRpcTestUtil.h"
#include "xmlrpc/Parser.h"

using namespace callgate::mgmt::xmlrpc;
using namespace callgate::mgmt::xmlrpc::test;

namespace {

MethodResponse requireResponse(std::string_view body) {
  auto r = parseMethodResponse(body);
  BOOST_REQUIRE_MESSAGE(r.response.has_value(), "parse failed: " << r.error.message);
  return std::move(*r.response);
}

void checkRefused(std::string_view body, std::string_view fragment) {
  const auto r = parseMethodResponse(body);
  BOOST_REQUIRE(!r.response.has_value());
  BOOST_TEST(r.error.code == kInvalidRequest);
  BOOST_TEST(contains(r.error.message, fragment), "message: " << r.error.message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xmlrpc_parse_response)

BOOST_AUTO_TEST_CASE(spec_response_example) {
  const auto r = requireResponse(
      "<?xml version=\"1.0\"?>\n"
      "<methodResponse>\n"
      "   <params>\n"
      "      <param>\n"
      "         <value><string>South Dakota</string></value>\n"
      "         </param>\n"
      "      </params>\n"
      "   </methodResponse>\n");
  BOOST_TEST(!r.fault.has_value());
  BOOST_TEST(r.value.extract<std::string>() == "South Dakota");
}

BOOST_AUTO_TEST_CASE(spec_fault_example) {
  const auto r = requireResponse(
      "<?xml version=\"1.0\"?>\n"
      "<methodResponse>\n"
      "   <fault>\n"
      "      <value>\n"
      "         <struct>\n"
      "            <member>\n"
      "               <name>faultCode</name>\n"
      "               <value><int>4</int></value>\n"
      "               </member>\n"
      "            <member>\n"
      "               <name>faultString</name>\n"
      "               <value><string>Too many parameters.</string></value>\n"
      "               </member>\n"
      "            </struct>\n"
      "         </value>\n"
      "      </fault>\n"
      "   </methodResponse>\n");
  BOOST_REQUIRE(r.fault.has_value());
  BOOST_TEST(r.fault->code == 4);
  BOOST_TEST(r.fault->message == "Too many parameters.");
  BOOST_TEST(r.value.isEmpty());
}

BOOST_AUTO_TEST_CASE(fault_with_untyped_string_i4_code_and_extra_members) {
  // Apache ws-xmlrpc adds members; untyped text is a string.
  const auto r = requireResponse(
      "<methodResponse><fault><value><struct>"
      "<member><name>faultString</name><value>No such method</value></member>"
      "<member><name>faultCause</name><value><base64>AA==</base64></value></member>"
      "<member><name>faultCode</name><value><i4>-32601</i4></value></member>"
      "</struct></value></fault></methodResponse>");
  BOOST_REQUIRE(r.fault.has_value());
  BOOST_TEST(r.fault->code == kMethodNotFound);
  BOOST_TEST(r.fault->message == "No such method");
}

BOOST_AUTO_TEST_CASE(list_methods_response) {
  const auto r = requireResponse(
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n"
      "<value><string>system.listMethods</string></value>\n"
      "<value><string>system.methodHelp</string></value>\n"
      "<value><string>status</string></value>\n"
      "</data></array></value>\n</param>\n</params>\n</methodResponse>\n");
  const auto& methods = r.value.extract<Array>();
  BOOST_REQUIRE_EQUAL(methods.size(), 3U);
  BOOST_TEST(methods[2].extract<std::string>() == "status");
}

BOOST_AUTO_TEST_CASE(nil_result) {
  BOOST_TEST(requireResponse("<methodResponse><params><param><value><nil/></value></param>"
                             "</params></methodResponse>")
                 .value.isEmpty());
}

BOOST_AUTO_TEST_CASE(refusals) {
  checkRefused("<methodResponse><params></params></methodResponse>",
               "<params> of a response must hold exactly one <param>");
  checkRefused(
      "<methodResponse><params><param><value>1</value></param><param><value>2</value>"
      "</param></params></methodResponse>",
      "<params> of a response must hold exactly one <param>");
  checkRefused("<methodResponse></methodResponse>", "<methodResponse> is empty");
  checkRefused("<methodResponse><value>1</value></methodResponse>",
               "expected <params> or <fault> in <methodResponse>, got <value>");
  checkRefused("<methodCall><methodName>a</methodName></methodCall>",
               "root element is <methodCall>, not <methodResponse>");
  checkRefused(
      "<methodResponse><fault><value><string>bad</string></value></fault>"
      "</methodResponse>",
      "<fault> value must be a struct");
  checkRefused(
      "<methodResponse><fault><value><struct><member><name>faultString</name>"
      "<value>x</value></member></struct></value></fault></methodResponse>",
      "<fault> lacks an int faultCode");
  checkRefused(
      "<methodResponse><fault><value><struct><member><name>faultCode</name>"
      "<value>4</value></member><member><name>faultString</name><value>x</value>"
      "</member></struct></value></fault></methodResponse>",
      "<fault> lacks an int faultCode");
  checkRefused(
      "<methodResponse><fault><value><struct><member><name>faultCode</name>"
      "<value><i8>4294967296</i8></value></member><member><name>faultString</name>"
      "<value>x</value></member></struct></value></fault></methodResponse>",
      "<fault> lacks an int faultCode");
  checkRefused(
      "<methodResponse><fault><value><struct><member><name>faultCode</name>"
      "<value><int>4</int></value></member></struct></value></fault></methodResponse>",
      "<fault> lacks a string faultString");
  checkRefused(
      "<methodResponse><params><param><value>1</value></param></params><fault/>"
      "</methodResponse>",
      "unexpected <fault> in <methodResponse>");
  const auto trailing = parseMethodResponse(
      "<methodResponse><params><param><value>1</value></param></params></methodResponse>x");
  BOOST_TEST(trailing.error.code == kParseError);
  BOOST_TEST(trailing.error.message == "content after the root element at line 1");
}

BOOST_AUTO_TEST_SUITE_END()
