#include <boost/test/unit_test.hpp>

#include "callme/TokenJson.h"

using namespace callgate::callme;

BOOST_AUTO_TEST_SUITE(callme_token_json)

BOOST_AUTO_TEST_CASE(parses_the_token_shape) {
  const auto v = parseJsonObject(
      R"( {"v":1, "neg":-42, "s":"a\"b\\c\/\n\u00e9\ud83d\ude00", "t":true, "n":null,
           "o":{"k":"v"}} )");
  BOOST_REQUIRE(v.has_value());
  BOOST_TEST(v->find("v")->integer == 1);
  BOOST_TEST(v->find("neg")->integer == -42);
  BOOST_TEST(v->find("s")->string == "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
  BOOST_TEST(v->find("t")->boolean);
  BOOST_TEST((v->find("n")->kind == JsonValue::Kind::Null));
  BOOST_TEST(v->find("o")->find("k")->string == "v");
  BOOST_TEST(!v->find("missing"));
}

BOOST_AUTO_TEST_CASE(integer_bounds) {
  BOOST_TEST(parseJsonObject(R"({"a":9223372036854775807})")->find("a")->integer == INT64_MAX);
  BOOST_TEST(parseJsonObject(R"({"a":-9223372036854775808})")->find("a")->integer == INT64_MIN);
  BOOST_TEST(!parseJsonObject(R"({"a":9223372036854775808})").has_value());
  BOOST_TEST(!parseJsonObject(R"({"a":01})").has_value());
  BOOST_TEST(!parseJsonObject(R"({"a":1.5})").has_value());
  BOOST_TEST(!parseJsonObject(R"({"a":1e3})").has_value());
  BOOST_TEST(!parseJsonObject(R"({"a":-})").has_value());
}

BOOST_AUTO_TEST_CASE(rejects_what_a_token_never_holds) {
  for (const char* bad : {"", "[]", "{", "{}x", R"({"a":[1]})", R"({"a":1,})", R"({"a":1 "b":2})",
                          R"({"a":1,"a":2})", R"({"a":"\ud800"})", R"({"a":"\udc00"})",
                          R"({"a":"\x"})", "{\"a\":\"tab\there\"}", R"({a:1})", R"({"a":tru})"}) {
    BOOST_TEST_INFO(bad);
    BOOST_TEST(!parseJsonObject(bad).has_value());
  }
}

BOOST_AUTO_TEST_CASE(limits_bound_hostile_input) {
  BOOST_TEST(parseJsonObject(R"({"a":{"b":{"c":{}}}})").has_value());
  BOOST_TEST(!parseJsonObject(R"({"a":{"b":{"c":{"d":{}}}}})").has_value());  // depth 5
  std::string many = "{";
  for (int i = 0; i < 65; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  many += "}";
  BOOST_TEST(!parseJsonObject(many).has_value());
  BOOST_TEST(!parseJsonObject("{\"a\":\"" + std::string(5000, 'x') + "\"}").has_value());
}

BOOST_AUTO_TEST_CASE(writer_escapes_for_rfc8259) {
  std::string out;
  appendJsonString(out, std::string("q\"b\\\n\x01\xc3\xa9", 8));
  BOOST_TEST(out == "\"q\\\"b\\\\\\u000a\\u0001\xc3\xa9\"");
  const auto back = parseJsonObject("{\"k\":" + out + "}");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(back->find("k")->string == std::string("q\"b\\\n\x01\xc3\xa9", 8));
}

BOOST_AUTO_TEST_SUITE_END()
