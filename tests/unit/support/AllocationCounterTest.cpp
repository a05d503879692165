// Linked into every binary that uses the allocation counter, so that a zero
// count in a no-allocation test cannot come from a counter that sees nothing.

#include <array>
#include <boost/test/unit_test.hpp>

#include "support/AllocationCounter.h"

namespace {
std::array<int, 4>* volatile gEscape = nullptr;
}  // namespace

BOOST_AUTO_TEST_SUITE(allocation_counter)

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
  BOOST_TEST(callgate::test::allocationCounterInstalled());
  const unsigned long before = callgate::test::allocationCount();
  gEscape = new std::array<int, 4>{};  // escapes, so it cannot be elided
  const unsigned long after = callgate::test::allocationCount();
  delete gEscape;
  BOOST_TEST(after == before + 1);
}

BOOST_AUTO_TEST_SUITE_END()
