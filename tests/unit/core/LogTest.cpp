#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "core/Log.h"

using namespace callgate::core;

namespace {
std::vector<std::string> g_lines;
void captureSink(log::Level, std::string_view tag, std::string_view text) {
  g_lines.push_back(std::string(tag) + ":" + std::string(text));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(logging)

BOOST_AUTO_TEST_CASE(tag_levels_override_global_level_by_prefix) {
  g_lines.clear();
  log::setSink(captureSink);
  log::setLevel(log::Level::Warn);
  log::setTagLevel("sip", log::Level::Debug);
  CG_LOG_DEBUG("sip.txn") << "shown " << 1;
  CG_LOG_DEBUG("media") << "hidden";
  CG_LOG_WARN("media") << "shown " << 2;
  log::setTagLevel("sip", log::Level::Warn);
  log::setLevel(log::Level::Info);
  log::setSink(nullptr);
  BOOST_TEST(g_lines == (std::vector<std::string>{"sip.txn:shown 1", "media:shown 2"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rate_limit_allows_burst_then_counts) {
  log::RateLimit limit(3, 3600);
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limit.allow() ? 1 : 0;
  BOOST_TEST(allowed == 3);
  BOOST_TEST(limit.suppressed() == 7U);
}

BOOST_AUTO_TEST_SUITE_END()
