// The one Boost.Test entry point every unit-test binary links.
#define BOOST_TEST_MODULE callgate
#include <boost/test/unit_test.hpp>
