#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <boost/test/unit_test.hpp>

#include "http/Json.h"
#include "rpc/ValueJson.h"
#include "xmlrpc/Parser.h"

using namespace callgate::mgmt;

BOOST_AUTO_TEST_SUITE(rpc_value_json)

BOOST_AUTO_TEST_CASE(structs_and_arrays_become_json_with_scalars_kept) {
  const auto parsed = xmlrpc::parseMethodCall(
      "<?xml version=\"1.0\"?><methodCall><methodName>peers.create</methodName><params><param>"
      "<value><struct>"
      "<member><name>name</name><value><string>cc</string></value></member>"
      "<member><name>port</name><value><i4>5061</i4></value></member>"
      "<member><name>enabled</name><value><boolean>0</boolean></value></member>"
      "<member><name>ratio</name><value><double>0.5</double></value></member>"
      "<member><name>none</name><value><nil/></value></member>"
      "<member><name>list</name><value><array><data><value>a</value>"
      "<value><struct><member><name>x</name><value><int>1</int></value></member></struct>"
      "</value></data></array></value></member>"
      "</struct></value></param></params></methodCall>");
  BOOST_REQUIRE(parsed.call);
  const auto json = rpc::toJsonValue(parsed.call->params.at(0));
  BOOST_REQUIRE(json.type() == typeid(Poco::JSON::Object::Ptr));
  BOOST_TEST(http::stringify(json) ==
             R"({"enabled":false,"list":["a",{"x":1}],"name":"cc","none":null,"port":5061,)"
             R"("ratio":0.5})");
}

BOOST_AUTO_TEST_SUITE_END()
