#pragma once
// Counts heap allocations, for the tests that the packet path does not
// allocate (DESIGN.md, "Threads and the media path"): read the count before
// and after the per-packet calls. Under AddressSanitizer the count comes
// from its malloc hook, which sees every allocation including libopus's;
// otherwise the binary's global operator new is replaced by a counting one.
// Link the object library callgate_test_allocation_counter, which also adds
// a test that the counter works.

namespace callgate::test {

// Allocations since the process started.
unsigned long allocationCount();

// False when the AddressSanitizer hook could not be installed, so the
// count would stay at zero whatever happens.
bool allocationCounterInstalled();

}  // namespace callgate::test
