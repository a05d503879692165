#include "support/AllocationCounter.h"

#include <atomic>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define CALLGATE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CALLGATE_TEST_ASAN 1
#endif
#endif

namespace {
std::atomic<unsigned long> gAllocations{0};
}  // namespace

#ifdef CALLGATE_TEST_ASAN
#include <sanitizer/allocator_interface.h>

namespace {
void onMalloc(const volatile void*, size_t) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
}
void onFree(const volatile void*) {}
const int gHooksInstalled = __sanitizer_install_malloc_and_free_hooks(onMalloc, onFree);
}  // namespace
#else
namespace {
const int gHooksInstalled = 1;

void* countedAlloc(std::size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) {
  return countedAlloc(n);
}
void* operator new[](std::size_t n) {
  return countedAlloc(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
#endif

namespace callgate::test {

unsigned long allocationCount() {
  return gAllocations.load();
}

bool allocationCounterInstalled() {
  return gHooksInstalled != 0;
}

}  // namespace callgate::test
