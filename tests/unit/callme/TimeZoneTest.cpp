#include <boost/test/unit_test.hpp>

#include "callme/TimeZone.h"

using namespace callgate::callme;

namespace {
void be32(std::string& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>(v >> s & 0xff));
}
void be64(std::string& out, int64_t v) {
  be32(out, static_cast<uint32_t>(static_cast<uint64_t>(v) >> 32));
  be32(out, static_cast<uint32_t>(v));
}
// RFC 8536 §3: a version-2 file with one transition from +1 h to +2 h at `when`
// (the v1 block carries the same data with 32-bit times).
std::string tzif(int64_t when) {
  std::string f;
  for (int block = 0; block < 2; ++block) {
    f += "TZif2";
    f += std::string(15, '\0');
    for (uint32_t count : {0u, 0u, 0u, 1u, 2u, 8u}) be32(f, count);
    if (block == 0) {
      be32(f, static_cast<uint32_t>(when));
    } else {
      be64(f, when);
    }
    f.push_back('\1');
    be32(f, 3600);
    f += std::string("\0\0", 2);
    be32(f, 7200);
    f += std::string("\1\4", 2);
    f += std::string("CET\0CEST", 8);
  }
  return f + "\nCET-1CEST\n";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(callme_time_zone)

BOOST_AUTO_TEST_CASE(reads_a_built_file) {
  const auto z = TimeZone::fromTzif(tzif(1000000), "Test/Zone");
  BOOST_REQUIRE(z.has_value());
  BOOST_TEST(z->name() == "Test/Zone");
  BOOST_TEST(z->offsetAt(-5000000000) == 3600);  // before the first: type 0
  BOOST_TEST(z->offsetAt(999999) == 3600);
  BOOST_TEST(z->offsetAt(1000000) == 7200);
  BOOST_TEST(z->offsetAt(4000000000) == 7200);
}

BOOST_AUTO_TEST_CASE(refuses_malformed_files) {
  const auto good = tzif(1000000);
  BOOST_TEST(!TimeZone::fromTzif(""));
  BOOST_TEST(!TimeZone::fromTzif("TZjf" + good.substr(4)));
  for (size_t cut : {size_t{10}, size_t{44}, size_t{60}, good.size() / 2, good.size() - 13}) {
    BOOST_TEST_INFO("cut " << cut);
    BOOST_TEST(!TimeZone::fromTzif(good.substr(0, cut)));
  }
  std::string badType64 = good;
  const size_t v2 = 44 + 4 + 1 + 12 + 8;  // the second header
  badType64[v2 + 44 + 8] = '\7';          // transition type 7 of 2
  BOOST_TEST(!TimeZone::fromTzif(badType64));
  std::string noTypes = good;
  noTypes[v2 + 36 + 3] = '\0';  // typecnt 0
  BOOST_TEST(!TimeZone::fromTzif(noTypes));
}

BOOST_AUTO_TEST_CASE(system_database_berlin_and_new_york) {
  const auto berlin = TimeZone::load("Europe/Berlin");
  BOOST_REQUIRE(berlin.has_value());
  // EU summer time 2026 starts 29 March 01:00 UTC and ends 25 October 01:00 UTC.
  BOOST_TEST(berlin->offsetAt(1774746000 - 1) == 3600);
  BOOST_TEST(berlin->offsetAt(1774746000) == 7200);
  BOOST_TEST(berlin->offsetAt(1792890000 - 1) == 7200);
  BOOST_TEST(berlin->offsetAt(1792890000) == 3600);
  const auto ny = TimeZone::load("America/New_York");
  BOOST_REQUIRE(ny.has_value());
  BOOST_TEST(ny->offsetAt(1796027400) == -5 * 3600);                // 2026-11-30: EST
  BOOST_TEST(ny->offsetAt(1796027400 - 150 * 86400) == -4 * 3600);  // July: EDT
}

BOOST_AUTO_TEST_CASE(names_are_confined_to_the_database) {
  BOOST_TEST(TimeZone::load("UTC")->offsetAt(0) == 0);
  BOOST_TEST(TimeZone::load("")->offsetAt(0) == 0);
  BOOST_TEST(!TimeZone::load("../../etc/passwd"));
  BOOST_TEST(!TimeZone::load("/etc/localtime"));
  BOOST_TEST(!TimeZone::load("Europe/Nowhere"));
  BOOST_TEST(!TimeZone::load("Europe"));  // a directory
  BOOST_TEST(!TimeZone::load("Europe/Berlin", "/nonexistent"));
}

BOOST_AUTO_TEST_SUITE_END()
