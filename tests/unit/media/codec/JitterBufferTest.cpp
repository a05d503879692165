#include <algorithm>
#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "media/codec/JitterBuffer.h"

using namespace callgate::media::codec;

namespace callgate::media::codec {
// Boost.Test prints values of failed checks.
inline std::ostream& operator<<(std::ostream& os, JitterBuffer::FrameKind k) {
  switch (k) {
    case JitterBuffer::FrameKind::Packet:
      return os << "Packet";
    case JitterBuffer::FrameKind::Missing:
      return os << "Missing";
    case JitterBuffer::FrameKind::NotYet:
      return os << "NotYet";
  }
  return os << "?";
}
inline std::ostream& operator<<(std::ostream& os, JitterBuffer::PushResult r) {
  return os << "PushResult(" << static_cast<int>(r) << ")";
}
}  // namespace callgate::media::codec

using Kind = JitterBuffer::FrameKind;
using Result = JitterBuffer::PushResult;

namespace {

constexpr int64_t kTick = 20'000;  // µs

struct Packet {
  uint16_t seq;
  uint32_t ts;
  int64_t arrival;
  bool marker = false;
};

struct Played {
  Kind kind;
  uint16_t seq;
  uint32_t ts;
  int64_t at;
};

// The payload names its packet, so a frame can be checked against its seq.
std::array<uint8_t, 3> payloadFor(uint16_t seq) {
  return {static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq & 0xFF), 0x5A};
}

// count packets sent every 20 ms from t0, RTP timestamps stepping by tsStep.
std::vector<Packet> stream(uint16_t seq0, uint32_t ts0, int count, int64_t t0,
                           uint32_t tsStep = 160) {
  std::vector<Packet> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(
        {static_cast<uint16_t>(seq0 + i), ts0 + static_cast<uint32_t>(i) * tsStep, t0 + i * kTick});
  }
  return out;
}

// Drives a buffer on a 20 ms tick: packets are delivered when their arrival
// time has come (in arrival order), then the tick pops one frame.
struct Sim {
  explicit Sim(JitterBuffer& buffer) : jb(buffer) {}

  void run(std::vector<Packet> packets, int64_t firstTick, int ticks) {
    start(std::move(packets), firstTick);
    advance(ticks);
    BOOST_REQUIRE(next == pending.size());
  }

  void start(std::vector<Packet> packets, int64_t firstTick) {
    pending = std::move(packets);
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Packet& a, const Packet& b) { return a.arrival < b.arrival; });
    next = 0;
    now = firstTick;
  }

  void advance(int ticks) {
    for (int k = 0; k < ticks; ++k, now += kTick) {
      while (next < pending.size() && pending[next].arrival <= now) {
        const Packet& p = pending[next++];
        results.push_back(jb.push(p.seq, p.ts, payloadFor(p.seq), p.arrival, p.marker));
      }
      const auto f = jb.pop(now);
      if (f.kind == Kind::Packet) {
        const auto expected = payloadFor(f.seq);
        BOOST_REQUIRE(
            std::equal(f.payload.begin(), f.payload.end(), expected.begin(), expected.end()));
      } else {
        BOOST_REQUIRE(f.payload.empty());
      }
      frames.push_back({f.kind, f.seq, f.timestamp, now});
    }
  }

  std::vector<Played> packetsOnly() const {
    std::vector<Played> out;
    for (const auto& f : frames) {
      if (f.kind == Kind::Packet) out.push_back(f);
    }
    return out;
  }

  // Frames from the first Packet to the last Packet.
  std::vector<Played> playout() const {
    auto first =
        std::find_if(frames.begin(), frames.end(), [](auto& f) { return f.kind == Kind::Packet; });
    auto last = std::find_if(frames.rbegin(), frames.rend(),
                             [](auto& f) { return f.kind == Kind::Packet; });
    if (first == frames.end()) return {};
    return {first, last.base()};
  }

  size_t count(Result r) const {
    return static_cast<size_t>(std::count(results.begin(), results.end(), r));
  }

  JitterBuffer& jb;
  std::vector<Packet> pending;
  size_t next = 0;
  int64_t now = 0;
  std::vector<Played> frames;
  std::vector<Result> results;
};

void checkConservation(const JitterBuffer& jb) {
  const auto s = jb.stats();
  BOOST_TEST(s.pushed == s.stored + s.duplicates + s.late + s.overflows + s.tooLarge);
  BOOST_TEST(s.stored == s.played + s.dropped + s.flushed + s.buffered);
}

// Deterministic 0..n-1 without <random>'s distribution differences.
struct Lcg {
  uint32_t state = 12345;
  uint32_t below(uint32_t n) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % n;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(jitter_buffer)

BOOST_AUTO_TEST_CASE(in_order_stream_plays_after_the_target_delay) {
  JitterBuffer jb;
  Sim sim(jb);
  sim.run(stream(100, 5000, 50, 1000), 5000, 60);
  BOOST_TEST(sim.count(Result::Stored) == 50U);
  // The first packet arrives at 1 ms; the minimum delay (20 ms) has passed
  // at the tick at 25 ms, not at 5 ms.
  BOOST_TEST(sim.frames[0].kind == Kind::NotYet);
  BOOST_TEST(sim.frames[1].kind == Kind::Packet);
  BOOST_TEST(sim.frames[1].seq == 100);
  const auto play = sim.playout();
  BOOST_REQUIRE(play.size() == 50U);
  for (size_t i = 0; i < play.size(); ++i) {
    BOOST_TEST(play[i].kind == Kind::Packet);
    BOOST_TEST(play[i].seq == 100 + i);
    BOOST_TEST(play[i].ts == 5000 + 160 * i);
  }
  const auto s = jb.stats();
  BOOST_TEST(s.played == 50U);
  BOOST_TEST(s.lost == 0U);
  BOOST_TEST(s.currentDelayMs == 24);
  BOOST_TEST(s.targetDelayMs == 20);
  BOOST_TEST(s.jitterMs == 0);
  checkConservation(jb);
}

BOOST_AUTO_TEST_CASE(plays_at_48k_clock) {
  JitterBufferConfig config;
  config.clockRate = 48000;
  JitterBuffer jb(config);
  Sim sim(jb);
  sim.run(stream(7, 0, 30, 0, 960), 10000, 40);
  const auto play = sim.playout();
  BOOST_REQUIRE(play.size() == 30U);
  for (size_t i = 0; i < play.size(); ++i) BOOST_TEST(play[i].ts == 960 * i);
}

BOOST_AUTO_TEST_CASE(reordered_packets_come_out_in_order) {
  JitterBuffer jb;
  Sim sim(jb);
  auto packets = stream(0, 0, 40, 1000);
  packets[6].arrival = packets[5].arrival + 5000;  // 6 before 5
  packets[5].arrival += 9000;
  packets[22].arrival = packets[20].arrival + 2000;  // 22, 21, 20
  packets[21].arrival = packets[20].arrival + 4000;
  packets[20].arrival += 6000;
  sim.run(packets, 16000, 50);
  const auto play = sim.playout();
  BOOST_REQUIRE(play.size() == 40U);
  for (size_t i = 0; i < play.size(); ++i) {
    BOOST_TEST(play[i].kind == Kind::Packet);
    BOOST_TEST(play[i].seq == i);
  }
  BOOST_TEST(jb.stats().lost == 0U);
  BOOST_TEST(jb.stats().late == 0U);
}

BOOST_AUTO_TEST_CASE(lost_packet_yields_missing_exactly_once) {
  JitterBuffer jb;
  Sim sim(jb);
  auto packets = stream(0, 0, 40, 1000);
  packets.erase(packets.begin() + 10);                        // one lost
  packets.erase(packets.begin() + 20, packets.begin() + 23);  // 21, 22, 23 lost
  sim.run(packets, 16000, 50);
  const auto play = sim.playout();
  BOOST_REQUIRE(play.size() == 40U);
  for (size_t i = 0; i < play.size(); ++i) {
    BOOST_TEST(play[i].seq == i);
    const bool lost = i == 10 || (i >= 21 && i <= 23);
    BOOST_TEST((play[i].kind == Kind::Missing) == lost);
    BOOST_TEST(play[i].ts == 160 * i);
  }
  BOOST_TEST(jb.stats().lost == 4U);
  BOOST_TEST(jb.stats().concealed >= 4U);
  // The lost packet turning up after its turn is too late.
  BOOST_TEST((jb.push(10, 1600, payloadFor(10), 2'000'000, false) == Result::TooLate));
  BOOST_TEST(jb.stats().late == 1U);
  checkConservation(jb);
}

BOOST_AUTO_TEST_CASE(late_packet_before_its_turn_ends_still_plays) {
  // Packet 10 is 30 ms late: the tick it was due conceals, and it plays next
  // (the delay grows by a frame) rather than being thrown away.
  JitterBuffer jb;
  Sim sim(jb);
  auto packets = stream(0, 0, 30, 1000);
  for (size_t i = 10; i < packets.size(); ++i) packets[i].arrival += 30000;
  sim.run(packets, 5000, 40);
  const auto played = sim.packetsOnly();
  BOOST_REQUIRE(played.size() == 30U);
  for (size_t i = 0; i < played.size(); ++i) BOOST_TEST(played[i].seq == i);
  BOOST_TEST(jb.stats().lost == 0U);
  BOOST_TEST(jb.stats().underruns >= 1U);
}

BOOST_AUTO_TEST_CASE(duplicates_are_counted_and_played_once) {
  JitterBuffer jb;
  BOOST_TEST((jb.push(1, 160, payloadFor(1), 0, false) == Result::Stored));
  BOOST_TEST((jb.push(1, 160, payloadFor(1), 100, false) == Result::Duplicate));
  BOOST_TEST((jb.push(2, 320, payloadFor(2), 20000, false) == Result::Stored));
  auto f = jb.pop(20000);
  BOOST_TEST((f.kind == Kind::Packet));
  BOOST_TEST(f.seq == 1);
  // Already played: still a duplicate, not a late packet.
  BOOST_TEST((jb.push(1, 160, payloadFor(1), 21000, false) == Result::Duplicate));
  f = jb.pop(40000);
  BOOST_TEST(f.seq == 2);
  BOOST_TEST((jb.push(2, 320, payloadFor(2), 41000, false) == Result::Duplicate));
  const auto s = jb.stats();
  BOOST_TEST(s.duplicates == 3U);
  BOOST_TEST(s.played == 2U);
  checkConservation(jb);
}

BOOST_AUTO_TEST_CASE(sequence_and_timestamp_wrap) {
  JitterBuffer jb;
  Sim sim(jb);
  const uint32_t ts0 = 0xFFFFFFFFu - 160 * 3 + 1;  // wraps after 3 packets
  sim.run(stream(65530, ts0, 30, 1000), 16000, 40);
  const auto play = sim.playout();
  BOOST_REQUIRE(play.size() == 30U);
  for (size_t i = 0; i < play.size(); ++i) {
    BOOST_TEST(play[i].kind == Kind::Packet);
    BOOST_TEST(play[i].seq == static_cast<uint16_t>(65530 + i));
    BOOST_TEST(play[i].ts == static_cast<uint32_t>(ts0 + 160 * i));
  }
  BOOST_TEST(jb.stats().lost == 0U);
  BOOST_TEST(jb.stats().resyncs == 0U);
}

BOOST_AUTO_TEST_CASE(reordering_across_the_wrap) {
  JitterBuffer jb;
  BOOST_TEST((jb.push(65535, 0xFFFFFF60u, payloadFor(65535), 0, false) == Result::Stored));
  BOOST_TEST((jb.push(1, 160, payloadFor(1), 1000, false) == Result::Stored));
  BOOST_TEST((jb.push(0, 0, payloadFor(0), 2000, false) == Result::Stored));
  BOOST_TEST(jb.pop(30000).seq == 65535);
  BOOST_TEST(jb.pop(50000).seq == 0);
  BOOST_TEST(jb.pop(70000).seq == 1);
  BOOST_TEST(jb.stats().lost == 0U);
}

BOOST_AUTO_TEST_CASE(delay_grows_under_jitter_and_shrinks_after) {
  JitterBuffer jb;
  Sim sim(jb);
  Lcg rng;
  // 6 s with network delay varying uniformly over 0..60 ms, then 10 s steady.
  auto packets = stream(0, 0, 800, 1000);
  for (size_t i = 0; i < 300; ++i) packets[i].arrival += rng.below(60001);
  for (size_t i = 300; i < packets.size(); ++i) packets[i].arrival += 30000;
  sim.start(packets, 5000);
  sim.advance(300);
  const auto jittery = jb.stats();
  BOOST_TEST_MESSAGE("after jitter: target "
                     << jittery.targetDelayMs << " current " << jittery.currentDelayMs << " jitter "
                     << jittery.jitterMs << " late " << jittery.late << " lost " << jittery.lost
                     << " concealed " << jittery.concealed);
  BOOST_TEST(jittery.jitterMs >= 12);
  BOOST_TEST(jittery.targetDelayMs >= 40);
  BOOST_TEST(jittery.currentDelayMs >= 35);
  // Adapting keeps losses to late packets low (a fixed 20 ms would lose ~50 %).
  BOOST_TEST(jittery.lost < 30U);

  const size_t calmFrom = sim.frames.size();
  sim.advance(520);
  const auto steady = jb.stats();
  BOOST_TEST_MESSAGE("after calm: target " << steady.targetDelayMs << " current "
                                           << steady.currentDelayMs << " dropped "
                                           << steady.dropped);
  BOOST_TEST(steady.targetDelayMs == 20);
  BOOST_TEST(steady.currentDelayMs < 45);
  BOOST_TEST(steady.currentDelayMs < jittery.currentDelayMs);
  BOOST_TEST(steady.dropped >= 1U);
  // Once settled, the calm stream plays every packet in order.
  const auto played = sim.packetsOnly();
  BOOST_REQUIRE(played.size() > 200U);
  for (size_t i = played.size() - 200; i < played.size(); ++i) {
    BOOST_TEST(played[i].seq == played[i - 1].seq + 1);
  }
  size_t lastPacket = sim.frames.size() - 1;
  while (sim.frames[lastPacket].kind != Kind::Packet) --lastPacket;
  size_t calmMissing = 0;
  for (size_t i = calmFrom + 100; i < lastPacket; ++i) {
    if (sim.frames[i].kind == Kind::Missing) ++calmMissing;
  }
  BOOST_TEST(calmMissing == 0U);
  checkConservation(jb);
}

BOOST_AUTO_TEST_CASE(overflow_is_bounded) {
  JitterBufferConfig config;
  config.capacity = 16;
  JitterBuffer jb(config);
  std::vector<Result> results;
  for (int i = 0; i < 200; ++i) {
    results.push_back(jb.push(static_cast<uint16_t>(i), static_cast<uint32_t>(160 * i),
                              payloadFor(static_cast<uint16_t>(i)), i * kTick, false));
    BOOST_TEST(jb.buffered() <= 16U);
  }
  for (int i = 0; i < 16; ++i) BOOST_TEST((results[static_cast<size_t>(i)] == Result::Stored));
  BOOST_TEST((results[16] == Result::Overflow));
  BOOST_TEST((results[17] == Result::Overflow));
  BOOST_TEST((results[18] == Result::Resync));  // a consumer that stopped: start over
  const auto s = jb.stats();
  BOOST_TEST(s.overflows > 0U);
  BOOST_TEST(s.resyncs > 0U);
  checkConservation(jb);
  // The newest packet is the one kept, so playout resumes near real time.
  const auto f = jb.pop(200 * kTick);
  BOOST_TEST((f.kind == Kind::Packet));
  BOOST_TEST(f.seq >= 180);
}

BOOST_AUTO_TEST_CASE(large_jump_resyncs_after_threshold) {
  JitterBuffer jb;
  Sim sim(jb);
  auto packets = stream(0, 0, 20, 1000);
  const auto restarted = stream(20000, 123456789, 20, 1000 + 20 * kTick);
  packets.insert(packets.end(), restarted.begin(), restarted.end());
  sim.run(packets, 16000, 60);
  BOOST_TEST(jb.stats().resyncs == 1U);
  BOOST_TEST(sim.count(Result::Resync) == 1U);
  BOOST_TEST(sim.count(Result::Overflow) == 2U);  // the two before the threshold
  const auto played = sim.packetsOnly();
  BOOST_REQUIRE(played.size() == 38U);
  for (size_t i = 0; i < 20; ++i) BOOST_TEST(played[i].seq == i);
  for (size_t i = 20; i < 38; ++i) BOOST_TEST(played[i].seq == 20000 + i - 18);
  checkConservation(jb);
}

BOOST_AUTO_TEST_CASE(backward_jump_resyncs_too) {
  JitterBuffer jb;
  Sim sim(jb);
  auto packets = stream(5000, 0, 10, 1000);
  const auto restarted = stream(100, 800000, 10, 1000 + 10 * kTick);
  packets.insert(packets.end(), restarted.begin(), restarted.end());
  sim.run(packets, 16000, 30);
  BOOST_TEST(sim.count(Result::TooLate) == 2U);
  BOOST_TEST(sim.count(Result::Resync) == 1U);
  BOOST_TEST(sim.packetsOnly().back().seq == 109);
}

BOOST_AUTO_TEST_CASE(loss_burst_longer_than_the_buffer_is_not_a_restart) {
  JitterBuffer jb;
  Sim sim(jb);
  auto packets = stream(0, 0, 10, 1000);
  const auto after = stream(200, 200 * 160, 10, 1000 + 200 * kTick);  // 4 s outage
  packets.insert(packets.end(), after.begin(), after.end());
  sim.run(packets, 16000, 220);
  BOOST_TEST(jb.stats().resyncs == 0U);
  BOOST_TEST(jb.stats().lost == 190U);
  BOOST_TEST(sim.packetsOnly().size() == 20U);
}

BOOST_AUTO_TEST_CASE(talk_spurts_restart_with_the_target_delay) {
  JitterBuffer jb;
  Sim sim(jb);
  auto packets = stream(0, 0, 25, 1000);
  // One second of silence: sequence numbers continue, the timestamp jumps
  // and the first packet of the new spurt carries the marker.
  auto second = stream(25, 25 * 160 + 8000, 25, 1000 + 75 * kTick);
  second[0].marker = true;
  packets.insert(packets.end(), second.begin(), second.end());
  sim.run(packets, 5000, 110);
  const auto played = sim.packetsOnly();
  BOOST_REQUIRE(played.size() == 50U);
  for (size_t i = 0; i < played.size(); ++i) BOOST_TEST(played[i].seq == i);
  BOOST_TEST(jb.stats().lost == 0U);
  // Between the spurts the buffer conceals briefly, then reports silence.
  size_t notYet = 0;
  for (const auto& f : sim.frames) {
    if (f.at > played[24].at && f.at < played[25].at && f.kind == Kind::NotYet) ++notYet;
  }
  BOOST_TEST(notYet > 30U);
  // The new spurt waits the target delay after its first packet arrives.
  BOOST_TEST(played[25].at - second[0].arrival >= 20000);
  BOOST_TEST(played[25].at - second[0].arrival < 40000);
}

BOOST_AUTO_TEST_CASE(marker_after_short_silence_reanchors) {
  JitterBuffer jb;
  // Spurt 1 ends at seq 4; spurt 2 starts 60 ms later in RTP time but its
  // packets arrive early (at once), so its head is not yet due when reached.
  for (uint16_t i = 0; i < 5; ++i) jb.push(i, 160u * i, payloadFor(i), i * kTick, false);
  jb.push(5, 160 * 8, payloadFor(5), 4 * kTick + 1000, true);
  jb.push(6, 160 * 9, payloadFor(6), 4 * kTick + 2000, false);
  std::vector<Kind> kinds;
  std::vector<uint16_t> seqs;
  for (int k = 1; k <= 9; ++k) {
    const auto f = jb.pop(k * kTick);
    kinds.push_back(f.kind);
    seqs.push_back(f.seq);
  }
  // 0..4 play; at seq 5 the marker restarts playout, which waits for the
  // target delay counted from its arrival (already passed), so 5 and 6 play on.
  const std::vector<uint16_t> expected{0, 1, 2, 3, 4, 5, 6};
  BOOST_TEST(std::vector<uint16_t>(seqs.begin(), seqs.begin() + 7) == expected,
             boost::test_tools::per_element());
  BOOST_TEST((kinds[7] == Kind::Missing));  // underrun after the spurt
  BOOST_TEST(jb.stats().lost == 0U);
}

BOOST_AUTO_TEST_CASE(rejects_oversized_payloads_and_bad_configs) {
  JitterBuffer jb;
  std::vector<uint8_t> big(1501, 0);
  BOOST_TEST((jb.push(1, 0, big, 0, false) == Result::TooLarge));
  BOOST_TEST(jb.stats().tooLarge == 1U);
  std::vector<uint8_t> max(1500, 7);
  BOOST_TEST((jb.push(1, 0, max, 0, false) == Result::Stored));
  const auto f = jb.pop(50000);
  BOOST_TEST(f.payload.size() == 1500U);
  BOOST_TEST(f.payload[1499] == 7);

  JitterBufferConfig bad;
  bad.clockRate = 0;
  BOOST_CHECK_THROW(JitterBuffer{bad}, std::invalid_argument);
  bad = {};
  bad.capacity = 8;  // 160 ms cannot hold a 200 ms delay
  BOOST_CHECK_THROW(JitterBuffer{bad}, std::invalid_argument);
  bad = {};
  bad.minDelayMs = 300;
  BOOST_CHECK_THROW(JitterBuffer{bad}, std::invalid_argument);
  bad = {};
  bad.jitterFactor = 0;
  BOOST_CHECK_THROW(JitterBuffer{bad}, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(reset_forgets_the_stream) {
  JitterBuffer jb;
  jb.push(10, 1600, payloadFor(10), 0, false);
  BOOST_TEST(jb.pop(30000).seq == 10);
  jb.push(11, 1760, payloadFor(11), 20000, false);
  jb.reset();
  BOOST_TEST(jb.buffered() == 0U);
  BOOST_TEST(jb.stats().flushed == 1U);
  // A new stream with unrelated numbering is accepted at once.
  BOOST_TEST((jb.push(9, 99, payloadFor(9), 40000, false) == Result::Stored));
  BOOST_TEST(jb.pop(70000).seq == 9);
  checkConservation(jb);
}

BOOST_AUTO_TEST_SUITE_END()
