// Requests as real clients send them: the spec's examples, Python's
// xmlrpc.client layout, PHP's Latin-1 default, and each value type.

#include <boost/test/unit_test.hpp>
#include <string>

#include "XmlRpcTestUtil.h"
#include "xmlrpc/Parser.h"

using namespace callgate::mgmt::xmlrpc;
using namespace callgate::mgmt::xmlrpc::test;

BOOST_AUTO_TEST_SUITE(xmlrpc_parse_call)

BOOST_AUTO_TEST_CASE(spec_request_example) {
  const auto call = requireCall(
      "<?xml version=\"1.0\"?>\n"
      "<methodCall>\n"
      "   <methodName>examples.getStateName</methodName>\n"
      "   <params>\n"
      "      <param>\n"
      "         <value><i4>41</i4></value>\n"
      "         </param>\n"
      "      </params>\n"
      "   </methodCall>\n");
  BOOST_TEST(call.methodName == "examples.getStateName");
  BOOST_REQUIRE_EQUAL(call.params.size(), 1U);
  BOOST_TEST(call.params[0].extract<Poco::Int64>() == 41);
}

BOOST_AUTO_TEST_CASE(python_system_list_methods) {
  // xmlrpc.client.dumps((), "system.listMethods"): single-quoted declaration, empty <params>.
  const auto call = requireCall(
      "<?xml version='1.0'?>\n<methodCall>\n<methodName>system.listMethods</methodName>\n"
      "<params>\n</params>\n</methodCall>\n");
  BOOST_TEST(call.methodName == "system.listMethods");
  BOOST_TEST(call.params.empty());
}

BOOST_AUTO_TEST_CASE(params_element_is_optional_and_declaration_too) {
  const auto call =
      requireCall("<methodCall><methodName>system.listMethods</methodName></methodCall>");
  BOOST_TEST(call.methodName == "system.listMethods");
  BOOST_TEST(call.params.empty());
}

BOOST_AUTO_TEST_CASE(spec_scalars) {
  BOOST_TEST(requireParam("<value><int>-12</int></value>").extract<Poco::Int64>() == -12);
  BOOST_TEST(requireParam("<value><i4>+7</i4></value>").extract<Poco::Int64>() == 7);
  BOOST_TEST(requireParam("<value><i8>9007199254740993</i8></value>").extract<Poco::Int64>() ==
             9007199254740993LL);
  BOOST_TEST(requireParam("<value><i4>-2147483648</i4></value>").extract<Poco::Int64>() ==
             -2147483648LL);
  BOOST_TEST(requireParam("<value><boolean>1</boolean></value>").extract<bool>() == true);
  BOOST_TEST(requireParam("<value><boolean>0</boolean></value>").extract<bool>() == false);
  BOOST_TEST(requireParam("<value><string>hello world</string></value>").extract<std::string>() ==
             "hello world");
  BOOST_TEST(requireParam("<value><double>-12.214</double></value>").extract<double>() == -12.214);
  BOOST_TEST(requireParam("<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>")
                 .extract<std::string>() == "19980717T14:08:55");
  BOOST_TEST(requireParam("<value><base64>eW91IGNhbid0IHJlYWQgdGhpcyE=</base64></value>")
                 .extract<std::string>() == "you can't read this!");
  BOOST_TEST(requireParam("<value><nil/></value>").isEmpty());
  BOOST_TEST(requireParam("<value><nil></nil></value>").isEmpty());
}

BOOST_AUTO_TEST_CASE(numbers_tolerate_surrounding_whitespace_and_exponents) {
  BOOST_TEST(requireParam("<value><int>\n  42\n</int></value>").extract<Poco::Int64>() == 42);
  // Python's xmlrpc.client writes repr(float), which can carry an exponent.
  BOOST_TEST(requireParam("<value><double>1e+100</double></value>").extract<double>() == 1e100);
  BOOST_TEST(requireParam("<value><double>.5</double></value>").extract<double>() == 0.5);
  BOOST_TEST(requireParam("<value><double>3</double></value>").extract<double>() == 3.0);
}

BOOST_AUTO_TEST_CASE(untyped_value_is_a_string_kept_verbatim) {
  BOOST_TEST(requireParam("<value>  plain text  </value>").extract<std::string>() ==
             "  plain text  ");
  BOOST_TEST(requireParam("<value></value>").extract<std::string>().empty());
  BOOST_TEST(requireParam("<value/>").extract<std::string>().empty());
  BOOST_TEST(requireParam("<value><string/></value>").extract<std::string>().empty());
  // Whitespace around a typed element is layout, not content.
  BOOST_TEST(requireParam("<value>\n  <string> x </string>\n</value>").extract<std::string>() ==
             " x ");
}

BOOST_AUTO_TEST_CASE(spec_struct_example) {
  const auto v = requireParam(
      "<value><struct>\n"
      "   <member>\n"
      "      <name>lowerBound</name>\n"
      "      <value><i4>18</i4></value>\n"
      "      </member>\n"
      "   <member>\n"
      "      <name>upperBound</name>\n"
      "      <value><i4>139</i4></value>\n"
      "      </member>\n"
      "   </struct></value>");
  BOOST_REQUIRE(v.type() == typeid(Struct));
  const auto& s = v.extract<Struct>();
  BOOST_TEST(s.size() == 2U);
  BOOST_TEST(s["lowerBound"].extract<Poco::Int64>() == 18);
  BOOST_TEST(s["upperBound"].extract<Poco::Int64>() == 139);
  // Var indexes structs by name directly.
  BOOST_TEST(v["upperBound"].extract<Poco::Int64>() == 139);
}

BOOST_AUTO_TEST_CASE(spec_array_example) {
  const auto v = requireParam(
      "<value><array>\n"
      "   <data>\n"
      "      <value><i4>12</i4></value>\n"
      "      <value><string>Egypt</string></value>\n"
      "      <value><boolean>0</boolean></value>\n"
      "      <value><i4>-31</i4></value>\n"
      "      </data>\n"
      "   </array></value>");
  BOOST_REQUIRE(v.type() == typeid(Array));
  const auto& a = v.extract<Array>();
  BOOST_REQUIRE_EQUAL(a.size(), 4U);
  BOOST_TEST(a[0].extract<Poco::Int64>() == 12);
  BOOST_TEST(a[1].extract<std::string>() == "Egypt");
  BOOST_TEST(a[2].extract<bool>() == false);
  BOOST_TEST(a[3].extract<Poco::Int64>() == -31);
}

BOOST_AUTO_TEST_CASE(empty_containers_and_nesting) {
  BOOST_TEST(requireParam("<value><array><data/></array></value>").extract<Array>().empty());
  BOOST_TEST(requireParam("<value><struct></struct></value>").extract<Struct>().empty());
  const auto v = requireParam(
      "<value><struct><member><name>calls</name><value><array><data>"
      "<value><struct><member><name>id</name><value>c1</value></member></struct></value>"
      "</data></array></value></member></struct></value>");
  BOOST_TEST(v["calls"][0]["id"].extract<std::string>() == "c1");
}

BOOST_AUTO_TEST_CASE(several_params_in_order) {
  const auto call = requireCall(
      "<methodCall><methodName>calls.hangup</methodName><params>"
      "<param><value><string>abc</string></value></param>"
      "<param><value><int>486</int></value></param>"
      "<param><value><boolean>1</boolean></value></param>"
      "</params></methodCall>");
  BOOST_REQUIRE_EQUAL(call.params.size(), 3U);
  BOOST_TEST(call.params[0].extract<std::string>() == "abc");
  BOOST_TEST(call.params[1].extract<Poco::Int64>() == 486);
  BOOST_TEST(call.params[2].extract<bool>() == true);
}

BOOST_AUTO_TEST_CASE(references_cdata_and_comments) {
  BOOST_TEST(requireParam("<value><string>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</string>"
                          "</value>")
                 .extract<std::string>() == "a <b> & \"c\" 'd'");
  BOOST_TEST(requireParam("<value><string>&#65;&#x42;&#x20AC;&#128512;</string></value>")
                 .extract<std::string>() == "AB\xE2\x82\xAC\xF0\x9F\x98\x80");
  BOOST_TEST(requireParam("<value><string><![CDATA[<b>&amp;</b>]]></string></value>")
                 .extract<std::string>() == "<b>&amp;</b>");
  BOOST_TEST(requireParam("<value><string>ab<!-- note -->cd<?pi x?>ef</string></value>")
                 .extract<std::string>() == "abcdef");
  // Raw '>' is fine in character data.
  BOOST_TEST(requireParam("<value>a>b</value>").extract<std::string>() == "a>b");
}

BOOST_AUTO_TEST_CASE(line_ends_are_normalised_but_char_refs_kept) {
  // XML 1.0 §2.11: CR LF and lone CR become LF; &#13; stays a CR.
  BOOST_TEST(
      requireParam("<value><string>a\r\nb\rc&#13;</string></value>").extract<std::string>() ==
      "a\nb\nc\r");
}

BOOST_AUTO_TEST_CASE(utf8_text_and_bom) {
  const std::string body = "\xEF\xBB\xBF" + callWith("<value>M\xC3\xBCller \xE2\x82\xAC</value>");
  const auto call = requireCall(body);
  BOOST_TEST(call.params[0].extract<std::string>() == "M\xC3\xBCller \xE2\x82\xAC");
}

BOOST_AUTO_TEST_CASE(latin1_document_is_converted_to_utf8) {
  // PHP's xmlrpc_encode_request() declares ISO-8859-1 unless told otherwise.
  const auto call = requireCall(
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><methodCall><methodName>a</methodName>"
      "<params><param><value><string>M\xFCller</string></value></param></params></methodCall>");
  BOOST_TEST(call.params[0].extract<std::string>() == "M\xC3\xBCller");
}

BOOST_AUTO_TEST_CASE(declaration_with_standalone_and_misc_around_root) {
  const auto call = requireCall(
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<!-- request -->\n"
      "<?client x?>\n<methodCall xmlns:ex=\"urn:x\"><methodName>a/b:c_d.e</methodName>"
      "</methodCall>\n<!-- end -->\n\n");
  BOOST_TEST(call.methodName == "a/b:c_d.e");
}

BOOST_AUTO_TEST_CASE(method_name_whitespace_is_trimmed) {
  BOOST_TEST(
      requireCall("<methodCall><methodName>\n  status\n</methodName></methodCall>").methodName ==
      "status");
}

BOOST_AUTO_TEST_CASE(base64_may_be_wrapped_over_lines) {
  BOOST_TEST(requireParam("<value><base64>\n  eW91IGNhbid0\n  IHJlYWQgdGhpcyE=\n</base64></value>")
                 .extract<std::string>() == "you can't read this!");
  const auto binary = requireParam("<value><base64>AAH/gA==</base64></value>");
  BOOST_TEST(binary.extract<std::string>() == std::string("\x00\x01\xff\x80", 4));
}

BOOST_AUTO_TEST_SUITE_END()
