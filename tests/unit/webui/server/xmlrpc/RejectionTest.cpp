// Hostile and broken requests: each is refused with the interoperability
// fault code and a message that says what was wrong and where.

#include <boost/test/unit_test.hpp>
#include <string>

#include "XmlRpcTestUtil.h"
#include "xmlrpc/Parser.h"

using namespace callgate::mgmt::xmlrpc;
using namespace callgate::mgmt::xmlrpc::test;

namespace {

void checkRefused(std::string_view body, int code, std::string_view fragment) {
  const Fault f = callError(body);
  BOOST_TEST(f.code == code, "code " << f.code << " for: " << f.message);
  BOOST_TEST(contains(f.message, fragment), "message: " << f.message);
}

void checkValueRefused(std::string_view valueXml, int code, std::string_view fragment) {
  checkRefused(callWith(valueXml), code, fragment);
}

std::string nestedArrays(size_t depth) {
  std::string v = "<value><int>1</int></value>";
  for (size_t i = 0; i < depth; ++i) v = "<value><array><data>" + v + "</data></array></value>";
  return v;
}

std::string nestedStructs(size_t depth) {
  std::string v = "<value>x</value>";
  for (size_t i = 0; i < depth; ++i) {
    v = "<value><struct><member><name>m</name>" + v + "</member></struct></value>";
  }
  return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xmlrpc_rejections)

BOOST_AUTO_TEST_CASE(body_size_is_bounded) {
  std::string body = callWith("<value>x</value>");
  body.append((1U << 20) - body.size(), ' ');  // exactly 1 MiB: accepted
  BOOST_TEST(parseMethodCall(body).call.has_value());
  body += ' ';
  checkRefused(body, kInvalidRequest, "body larger than 1048576 bytes");
  Limits small;
  small.maxBodyBytes = 64;
  const auto r = parseMethodCall(callWith("<value>x</value>"), small);
  BOOST_TEST(!r.call.has_value());
  BOOST_TEST(r.error.message == "body larger than 64 bytes");
}

BOOST_AUTO_TEST_CASE(nesting_depth_is_bounded) {
  auto v = requireParam(nestedArrays(32));
  for (int i = 0; i < 32; ++i) v = Value(v.extract<Array>().at(0));
  BOOST_TEST(v.extract<Poco::Int64>() == 1);
  checkValueRefused(nestedArrays(33), kInvalidRequest, "values nested deeper than 32");
  BOOST_TEST(requireParam(nestedStructs(32))["m"].isStruct());
  checkValueRefused(nestedStructs(33), kInvalidRequest, "values nested deeper than 32");
  // 40 000 levels: refused at level 33, long before the stack could suffer.
  std::string deep;
  for (int i = 0; i < 40000; ++i) deep += "<value><array><data>";
  checkValueRefused(deep, kInvalidRequest, "values nested deeper than 32");
}

BOOST_AUTO_TEST_CASE(element_count_is_bounded) {
  // methodCall, methodName, params, param, value, array, data: 7 elements
  // around the array's own values.
  auto many = [](size_t n) {
    std::string v = "<value><array><data>";
    for (size_t i = 0; i < n; ++i) v += "<value/>";
    return callWith(v + "</data></array></value>");
  };
  BOOST_TEST(requireCall(many(100000 - 7)).params[0].extract<Array>().size() == 99993U);
  checkRefused(many(100000 - 6), kInvalidRequest, "more than 100000 elements");
  Limits small;
  small.maxElements = 10;
  BOOST_TEST(parseMethodCall(many(3), small).call.has_value());
  BOOST_TEST(parseMethodCall(many(4), small).error.message.starts_with("more than 10 elements"));
}

BOOST_AUTO_TEST_CASE(doctype_and_entities_are_refused) {
  // External entity (XXE): never fetched, the DOCTYPE alone is refused.
  checkRefused(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE methodCall [\n"
      "  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
      "<methodCall><methodName>a</methodName><params><param><value>&xxe;</value></param>"
      "</params></methodCall>",
      kParseError, "DOCTYPE is not allowed at line 2");
  // "Billion laughs": no expansion ever starts.
  checkRefused(
      "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
      "<methodCall><methodName>a</methodName><params><param><value>&lol2;</value></param>"
      "</params></methodCall>",
      kParseError, "DOCTYPE is not allowed");
  // Without a DTD an entity reference is undefined.
  checkValueRefused("<value>&xxe;</value>", kParseError,
                    "entity reference &xxe; not allowed: only the predefined entities are");
  checkRefused("<methodCall a=\"&xxe;\"><methodName>a</methodName></methodCall>", kParseError,
               "entity reference &xxe; not allowed");
  // Markup declarations inside the document too.
  checkValueRefused("<value><!DOCTYPE x></value>", kParseError,
                    "markup declarations (DOCTYPE, ENTITY) are not allowed");
  checkValueRefused("<value><!ENTITY x \"y\"></value>", kParseError, "markup declarations");
}

BOOST_AUTO_TEST_CASE(invalid_integers) {
  checkValueRefused("<value><i4>2147483648</i4></value>", kInvalidRequest,
                    "invalid or out-of-range <i4> value");
  checkValueRefused("<value><int>-2147483649</int></value>", kInvalidRequest,
                    "invalid or out-of-range <int> value");
  checkValueRefused("<value><i8>9223372036854775808</i8></value>", kInvalidRequest,
                    "invalid or out-of-range <i8> value");
  for (const char* text : {"", "12abc", "1.5", "+-1", "--1", "0x10", "1 2", "-", "+", "١"}) {
    checkValueRefused("<value><int>" + std::string(text) + "</int></value>", kInvalidRequest,
                      "invalid or out-of-range <int> value");
  }
}

BOOST_AUTO_TEST_CASE(invalid_doubles) {
  for (const char* text : {"", "nan", "NaN", "inf", "-inf", "infinity", "1e999", "-1e400", "0x1p3",
                           "1.2.3", "e5", "-", ".", "1e", "1e+", "1,5", "1.0f"}) {
    checkValueRefused("<value><double>" + std::string(text) + "</double></value>", kInvalidRequest,
                      "invalid or out-of-range <double> value");
  }
}

BOOST_AUTO_TEST_CASE(invalid_booleans_and_dates) {
  for (const char* text : {"true", "false", "2", "", "01", "yes"}) {
    checkValueRefused("<value><boolean>" + std::string(text) + "</boolean></value>",
                      kInvalidRequest, "<boolean> must be 0 or 1");
  }
  for (const char* text : {"", "yesterday", "T14:08:55", "1998-07-17 14:08:55"}) {
    checkValueRefused(
        "<value><dateTime.iso8601>" + std::string(text) + "</dateTime.iso8601></value>",
        kInvalidRequest, "invalid <dateTime.iso8601> value");
  }
}

BOOST_AUTO_TEST_CASE(invalid_base64) {
  for (const char* text :
       {"abc", "ab=c", "a===", "Zm9v!", "Zh==", "Zm9=", "Zm9vYg", "=", "Zm9v=", "Zg==Zg=="}) {
    checkValueRefused("<value><base64>" + std::string(text) + "</base64></value>", kInvalidRequest,
                      "invalid <base64> value");
  }
}

BOOST_AUTO_TEST_CASE(unknown_value_types) {
  checkValueRefused("<value><float>1.5</float></value>", kInvalidRequest,
                    "unknown value type <float>");
  checkValueRefused("<value><ex:nil/></value>", kInvalidRequest, "unknown value type <ex:nil>");
  checkValueRefused("<value><value>1</value></value>", kInvalidRequest,
                    "unknown value type <value>");
}

BOOST_AUTO_TEST_CASE(trailing_garbage) {
  const std::string ok = "<methodCall><methodName>a</methodName></methodCall>";
  checkRefused(ok + "garbage", kParseError, "content after the root element");
  checkRefused(ok + ok, kParseError, "content after the root element");
  checkRefused(ok + "\n<!-- fine -->\n<", kParseError, "content after the root element");
  checkRefused(ok + std::string(1, '\0'), kInvalidCharacter, "character XML does not allow");
}

BOOST_AUTO_TEST_CASE(truncated_and_mismatched_documents) {
  checkRefused("", kParseError, "no root element");
  checkRefused("<?xml version=\"1.0\"?>  ", kParseError, "no root element");
  checkRefused("hello", kParseError, "expected the root element");
  checkRefused("<methodCall><methodName>a</methodName><params>", kParseError,
               "document ends inside <params>");
  checkValueRefused("<value><int>1</value>", kParseError, "</value> does not close <int>");
  checkRefused("<methodCall><methodName>a</methodName></methodCall", kParseError,
               "malformed end tag");
  checkRefused("<methodCall", kParseError, "unterminated start tag");
}

BOOST_AUTO_TEST_CASE(characters_xml_does_not_allow) {
  checkValueRefused("<value>\xC3\x28</value>", kInvalidCharacter,
                    "invalid UTF-8 or a character XML does not allow at line 1");
  checkValueRefused("<value>\xC0\xAF</value>", kInvalidCharacter, "invalid UTF-8");  // overlong
  checkValueRefused("<value>\xED\xA0\x80</value>", kInvalidCharacter,
                    "invalid UTF-8");  // surrogate
  checkValueRefused("<value>\xF4\x90\x80\x80</value>", kInvalidCharacter, "invalid UTF-8");
  checkValueRefused("<value>a\x01</value>", kInvalidCharacter, "character XML does not allow");
  checkValueRefused("<value>\xEF\xBF\xBE</value>", kInvalidCharacter, "does not allow");  // U+FFFE
  for (const char* ref : {"&#0;", "&#1;", "&#x1F;", "&#xD800;", "&#xFFFF;"}) {
    checkValueRefused("<value>" + std::string(ref) + "</value>", kParseError,
                      "character reference to a character XML does not allow");
  }
  checkValueRefused("<value>&#x110000;</value>", kParseError, "character reference out of range");
  checkValueRefused("<value>&#99999999999999999999;</value>", kParseError, "out of range");
  checkValueRefused("<value>&#;</value>", kParseError, "malformed character reference");
  checkValueRefused("<value>&#x12g;</value>", kParseError, "malformed character reference");
}

BOOST_AUTO_TEST_CASE(unsupported_encodings) {
  checkRefused("<?xml version=\"1.0\" encoding=\"UTF-16\"?><methodCall/>", kUnsupportedEncoding,
               "unsupported encoding UTF-16");
  checkRefused(std::string("\xFF\xFE<\0m\0", 6), kUnsupportedEncoding,
               "only UTF-8, US-ASCII and ISO-8859-1 are supported");
  checkRefused(std::string("\0<\0m", 4), kUnsupportedEncoding, "only UTF-8");
  checkRefused(
      "<?xml version=\"1.0\" encoding=\"us-ascii\"?>\n<methodCall><methodName>a"
      "</methodName><params><param><value>\xC3\xBC</value></param></params></methodCall>",
      kInvalidCharacter, "non-ASCII byte in a US-ASCII document at line 2");
}

BOOST_AUTO_TEST_CASE(malformed_markup) {
  checkValueRefused("<value>a & b</value>", kParseError, "'&' must start a reference");
  checkValueRefused("<value>a &amp b</value>", kParseError, "unterminated entity reference");
  checkValueRefused("<value>a < b</value>", kParseError, "'<' must start a tag");
  checkValueRefused("<value>a ]]> b</value>", kParseError, "']]>' in character data");
  checkValueRefused("<value><!-- a -- b --></value>", kParseError, "'--' inside a comment");
  checkValueRefused("<value><!-- a </value>", kParseError, "unterminated comment");
  checkValueRefused("<value><![CDATA[ a </value>", kParseError, "unterminated CDATA section");
  checkValueRefused("<value><?pi </value>", kParseError, "unterminated processing instruction");
  checkRefused(" <?xml version=\"1.0\"?><methodCall/>", kParseError,
               "XML declaration not at the start");
  checkRefused("<?xml version=\"2.0\"?><methodCall/>", kParseError, "malformed XML declaration");
  checkRefused("<?xml encoding=\"UTF-8\" version=\"1.0\"?><methodCall/>", kParseError,
               "malformed XML declaration: version=\"1.x\" must come first");
  checkRefused("<methodCall a=\"1\" a=\"2\"><methodName>a</methodName></methodCall>", kParseError,
               "duplicate attribute");
  checkRefused("<methodCall a=1><methodName>a</methodName></methodCall>", kParseError,
               "attribute value must be quoted");
  checkRefused("<methodCall a=\"<\"><methodName>a</methodName></methodCall>", kParseError,
               "'<' in an attribute value");
  checkRefused("<methodCall a=\"1\"b=\"2\"><methodName>a</methodName></methodCall>", kParseError,
               "expected whitespace before an attribute");
}

BOOST_AUTO_TEST_CASE(method_names) {
  checkRefused("<methodCall><methodName>a b</methodName></methodCall>", kInvalidRequest,
               "invalid method name");
  checkRefused("<methodCall><methodName></methodName></methodCall>", kInvalidRequest,
               "invalid method name");
  checkRefused("<methodCall><methodName>" + std::string(257, 'a') + "</methodName></methodCall>",
               kInvalidRequest, "invalid method name");
  BOOST_TEST(
      requireCall("<methodCall><methodName>" + std::string(256, 'a') + "</methodName></methodCall>")
          .methodName.size() == 256U);
  checkRefused("<methodCall><methodName>a<b/></methodName></methodCall>", kInvalidRequest,
               "<methodName> may not contain <b>");
  checkRefused("<methodCall><params/></methodCall>", kInvalidRequest,
               "expected <methodName> in <methodCall>, got <params>");
  checkRefused("<methodCall/>", kInvalidRequest, "<methodCall> lacks <methodName>");
}

BOOST_AUTO_TEST_CASE(structure_errors) {
  checkRefused("<methodResponse><params/></methodResponse>", kInvalidRequest,
               "root element is <methodResponse>, not <methodCall>");
  checkValueRefused("<value>abc<int>1</int></value>", kInvalidRequest,
                    "<value> mixes text and <int>");
  checkValueRefused("<value><int>1</int>abc</value>", kInvalidRequest,
                    "text not allowed in <value>");
  checkValueRefused("<value><int>1</int><int>2</int></value>", kInvalidRequest,
                    "unexpected <int> in <value>");
  checkValueRefused("<value><struct>x</struct></value>", kInvalidRequest,
                    "text not allowed in <struct>");
  checkValueRefused("<value><struct><value/></struct></value>", kInvalidRequest,
                    "unexpected <value> in <struct>");
  checkValueRefused("<value><struct><member><name>a</name></member></struct></value>",
                    kInvalidRequest, "<member> lacks <value>");
  checkValueRefused(
      "<value><struct><member><value>1</value><name>a</name></member></struct></value>",
      kInvalidRequest, "expected <name> in <member>, got <value>");
  checkValueRefused(
      "<value><struct><member><name>a</name><value>1</value></member>"
      "<member><name>a</name><value>2</value></member></struct></value>",
      kInvalidRequest, "duplicate struct member \"a\"");
  checkValueRefused("<value><array><value>1</value></array></value>", kInvalidRequest,
                    "expected <data> in <array>, got <value>");
  checkValueRefused("<value><array><data><int>1</int></data></array></value>", kInvalidRequest,
                    "unexpected <int> in <data>");
  checkValueRefused("<value><string>a<b/></string></value>", kInvalidRequest,
                    "<string> may not contain <b>");
  checkValueRefused("<value><nil>x</nil></value>", kInvalidRequest, "<nil/> must be empty");
  checkRefused("<methodCall><methodName>a</methodName><param/></methodCall>", kInvalidRequest,
               "unexpected <param> in <methodCall>");
  checkRefused("<methodCall><methodName>a</methodName><params><value/></params></methodCall>",
               kInvalidRequest, "unexpected <value> in <params>");
  checkRefused(
      "<methodCall><methodName>a</methodName><params><param>1</param></params>"
      "</methodCall>",
      kInvalidRequest, "text not allowed in <param>");
  checkRefused("<methodCall><methodName>a</methodName><params/><params/></methodCall>",
               kInvalidRequest, "unexpected <params> in <methodCall>");
}

BOOST_AUTO_TEST_CASE(messages_name_the_line) {
  const Fault f = callError(
      "<?xml version=\"1.0\"?>\n<methodCall>\n<methodName>a</methodName>\n<params><param>"
      "<value><i4>x</i4></value></param></params></methodCall>");
  BOOST_TEST(f.message == "invalid or out-of-range <i4> value at line 4");
}

BOOST_AUTO_TEST_SUITE_END()
