// The packet path must not allocate after construction (DESIGN.md, "Threads
// and the media path"). Each per-packet function runs between two readings
// of an allocation counter: under AddressSanitizer the counter is its malloc
// hook, which sees every allocation including libopus's; otherwise this
// binary replaces the global operator new with a counting one.

#include <array>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <new>
#include <string>

#include "media/codec/AudioFrame.h"
#include "media/codec/G711.h"
#include "media/codec/JitterBuffer.h"
#include "media/codec/OpusCodec.h"
#include "media/codec/TelephoneEvent.h"

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

namespace codec = callgate::media::codec;

BOOST_AUTO_TEST_SUITE(no_allocation)

BOOST_AUTO_TEST_CASE(packet_path_functions_do_not_allocate) {
  std::string error;
  codec::JitterBuffer jb;
  auto encoder = codec::OpusEncoder::create(8000, 1, 5, 16000, &error);
  auto decoder = codec::OpusDecoder::create(8000, 1, &error);
  BOOST_REQUIRE(encoder && decoder);
  codec::AudioFrame frame;
  frame.count = codec::kFrameSamples8k;
  std::array<uint8_t, 1500> packet{};
  std::array<uint8_t, codec::kFrameSamples8k> g711{};
  std::array<int16_t, 5760> pcm{};
  unsigned long played = 0;
  unsigned long events = 0;

  const unsigned long before = gAllocations.load();
  for (int i = 0; i < 200; ++i) {
    for (size_t s = 0; s < frame.count; ++s) frame.samples[s] = static_cast<int16_t>(s * 97 + i);
    const int bytes = encoder->encode(frame.interleaved(), packet);
    if (bytes <= 0) break;
    const auto seq = static_cast<uint16_t>(i);
    if (i % 10 != 3) {
      jb.push(seq, static_cast<uint32_t>(160 * i),
              std::span<const uint8_t>(packet.data(), static_cast<size_t>(bytes)), i * 20'000,
              i == 0);
    }
    const auto f = jb.pop(i * 20'000 + 5'000);
    if (f.kind == codec::JitterBuffer::FrameKind::Packet) {
      ++played;
      decoder->decode(f.payload, pcm);
    } else if (f.kind == codec::JitterBuffer::FrameKind::Missing) {
      decoder->decodeLost(160, pcm);
    }
    codec::ulawEncode(std::span<const int16_t>(pcm.data(), 160), g711);
    codec::alawDecode(g711, std::span<int16_t>(pcm.data(), 160));
    codec::upmixToStereo(frame);
    codec::downmixToMono(frame);
    codec::DtmfGenerator gen(static_cast<uint8_t>(i % 16), 120);
    while (auto p = gen.next()) {
      if (codec::parseTelephoneEvent(p->payload)) ++events;
    }
  }
  const unsigned long after = gAllocations.load();
  BOOST_TEST(after == before);
  BOOST_TEST(played > 150U);
  BOOST_TEST(events == 200U * 5U);
  (void)jb.stats();
}

std::array<int, 4>* volatile gSink = nullptr;

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
#ifdef CALLGATE_TEST_ASAN
  BOOST_TEST(gHooksInstalled != 0);
#endif
  const unsigned long before = gAllocations.load();
  gSink = new std::array<int, 4>{};  // escapes, so it cannot be elided
  const unsigned long after = gAllocations.load();
  delete gSink;
  BOOST_TEST(after == before + 1);
}

BOOST_AUTO_TEST_SUITE_END()
