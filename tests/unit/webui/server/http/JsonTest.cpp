#include <boost/test/unit_test.hpp>

#include "http/Json.h"

using namespace callgate::mgmt::http;

namespace {
ApiError errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e;
  }
  BOOST_FAIL("expected an ApiError");
  return ApiError(0, "", "");
}
}  // namespace

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(parse_object_refuses_syntax_errors_and_non_objects) {
  BOOST_TEST(parseObject(R"({"a": 1})")->getValue<int>("a") == 1);
  const auto syntax = errorOf([] { parseObject(R"({"a": )"); });
  BOOST_TEST(syntax.status() == 400);
  BOOST_TEST(syntax.code() == "invalid_json");
  BOOST_TEST(errorOf([] { parseObject("[1, 2]"); }).code() == "invalid_body");
  BOOST_TEST(errorOf([] { parseObject("\"text\""); }).status() == 400);
  BOOST_TEST(errorOf([] { parseObject(""); }).code() == "invalid_json");
}

BOOST_AUTO_TEST_CASE(error_body_has_the_documented_shape) {
  ApiError e(422, "validation_failed", "must be 1..65535", "port");
  BOOST_TEST(
      stringify(errorBody(e)) ==
      R"({"error":{"code":"validation_failed","message":"must be 1..65535","field":"port"}})");
  ApiError bare(404, "not_found", "no such resource");
  BOOST_TEST(stringify(errorBody(bare)) ==
             R"({"error":{"code":"not_found","message":"no such resource"}})");
}

BOOST_AUTO_TEST_CASE(typed_members_name_the_field) {
  const auto body = parseObject(R"({"user": "a", "n": 5, "flag": true, "extra": 1})");
  BOOST_TEST(requiredString(*body, "user") == "a");
  BOOST_TEST(errorOf([&] { requiredString(*body, "password"); }).field() == "password");
  BOOST_TEST(errorOf([&] { requiredString(*body, "n"); }).code() == "invalid_field");
  BOOST_TEST(*optionalBool(*body, "flag"));
  BOOST_TEST(!optionalBool(*body, "missing"));
  BOOST_TEST(errorOf([&] { optionalBool(*body, "user"); }).field() == "user");
  const auto unknown = errorOf([&] { onlyFields(*body, {"user", "n", "flag"}); });
  BOOST_TEST(unknown.code() == "unknown_field");
  BOOST_TEST(unknown.field() == "extra");
}

BOOST_AUTO_TEST_CASE(strings_are_escaped) {
  BOOST_TEST(stringify(Poco::Dynamic::Var(std::string("a\"b\\c\n\x01"))) == R"("a\"b\\c\n\u0001")");
}

BOOST_AUTO_TEST_SUITE_END()
