#include <boost/test/unit_test.hpp>

#include "sip/msg/Framing.h"

using namespace callgate::sip;

BOOST_AUTO_TEST_SUITE(stream_framing)

BOOST_AUTO_TEST_CASE(finds_message_boundaries) {
  const std::string one = "OPTIONS sip:a@b SIP/2.0\r\nl: 3\r\n\r\nabc";
  std::string error;
  BOOST_TEST(sipStreamMessageLength(one + one, 65535, &error).value() == one.size());
  BOOST_TEST(!sipStreamMessageLength(one.substr(0, one.size() - 1), 65535, &error).has_value());
  BOOST_TEST(error.empty());
}

BOOST_AUTO_TEST_CASE(stream_without_content_length_is_an_error) {
  std::string error;
  BOOST_TEST(!sipStreamMessageLength("OPTIONS sip:a@b SIP/2.0\r\nTo: x\r\n\r\n", 65535, &error));
  BOOST_TEST(!error.empty());
}

BOOST_AUTO_TEST_CASE(oversized_messages_are_errors) {
  std::string error;
  BOOST_TEST(!sipStreamMessageLength("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 99999\r\n\r\n",
                                     1000, &error));
  BOOST_TEST(!error.empty());
  error.clear();
  BOOST_TEST(!sipStreamMessageLength(std::string(2000, 'a'), 1000, &error));
  BOOST_TEST(!error.empty());
}

BOOST_AUTO_TEST_CASE(keepalives) {
  BOOST_TEST(leadingKeepaliveBytes("\r\n\r\nINVITE") == 4U);
  BOOST_TEST(leadingKeepaliveBytes("INVITE") == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
