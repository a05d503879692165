#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <vector>

#include "media/codec/G711.h"

using namespace callgate::media::codec;

BOOST_AUTO_TEST_SUITE(g711)

BOOST_AUTO_TEST_CASE(ulaw_known_values) {
  // Zero is 0xFF (positive zero); 0x7F is negative zero (G.711 Table 2a).
  BOOST_TEST(linearToUlaw(0) == 0xFF);
  BOOST_TEST(ulawToLinear(0xFF) == 0);
  BOOST_TEST(ulawToLinear(0x7F) == 0);
  // Full scale: the top interval of segment 7 decodes to ±8031 at 14 bits.
  BOOST_TEST(linearToUlaw(32767) == 0x80);
  BOOST_TEST(linearToUlaw(-32768) == 0x00);
  BOOST_TEST(ulawToLinear(0x80) == 32124);
  BOOST_TEST(ulawToLinear(0x00) == -32124);
  // Segment 3, step 1 (14-bit 250 → code 0x31 before inversion).
  BOOST_TEST(linearToUlaw(1000) == 0xCE);
  BOOST_TEST(ulawToLinear(0xCE) == 988);
  BOOST_TEST(linearToUlaw(-1000) == 0x4E);
  BOOST_TEST(ulawToLinear(0x4E) == -988);
  // The first segment boundary: 14-bit magnitude 31 is the last of segment 0.
  BOOST_TEST(linearToUlaw(4 * 30) == 0xF0);
  BOOST_TEST(linearToUlaw(4 * 31) == 0xEF);
}

BOOST_AUTO_TEST_CASE(alaw_known_values) {
  // Zero is 0xD5: sign 1, segment 0, mantissa 0, even bits inverted.
  BOOST_TEST(linearToAlaw(0) == 0xD5);
  BOOST_TEST(alawToLinear(0xD5) == 8);  // A-law has no zero level: ±1 at 13 bits
  BOOST_TEST(alawToLinear(0x55) == -8);
  BOOST_TEST(linearToAlaw(-1) == 0x55);
  BOOST_TEST(linearToAlaw(32767) == 0xAA);
  BOOST_TEST(linearToAlaw(-32768) == 0x2A);
  BOOST_TEST(alawToLinear(0xAA) == 32256);
  BOOST_TEST(alawToLinear(0x2A) == -32256);
  BOOST_TEST(linearToAlaw(1000) == 0xFA);
  BOOST_TEST(alawToLinear(0xFA) == 1008);
}

BOOST_AUTO_TEST_CASE(decode_tables_are_odd_and_monotonic) {
  // Walking the code words by increasing level must give increasing output.
  std::vector<int> ulaw;
  for (int c = 0x00; c <= 0x7F; ++c) ulaw.push_back(ulawToLinear(static_cast<uint8_t>(c)));
  for (int c = 0xFF; c >= 0x80; --c) ulaw.push_back(ulawToLinear(static_cast<uint8_t>(c)));
  for (size_t i = 1; i < ulaw.size(); ++i) {
    if (i == 128) {
      BOOST_TEST(ulaw[i] == ulaw[i - 1]);  // -0 and +0
    } else {
      BOOST_TEST(ulaw[i] > ulaw[i - 1]);
    }
  }
  for (int c = 0; c < 128; ++c) {
    BOOST_TEST(ulawToLinear(static_cast<uint8_t>(c)) ==
               -ulawToLinear(static_cast<uint8_t>(c | 0x80)));
    BOOST_TEST(alawToLinear(static_cast<uint8_t>(c)) ==
               -alawToLinear(static_cast<uint8_t>(c | 0x80)));
  }
}

BOOST_AUTO_TEST_CASE(all_code_words_round_trip) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<uint8_t>(c);
    if (code == 0x7F) {
      BOOST_TEST(linearToUlaw(ulawToLinear(code)) == 0xFF);  // -0 folds to +0
    } else {
      BOOST_TEST(linearToUlaw(ulawToLinear(code)) == code);
    }
    BOOST_TEST(linearToAlaw(alawToLinear(code)) == code);
  }
}

BOOST_AUTO_TEST_CASE(round_trip_error_is_half_a_step) {
  // µ-law step in segment s is 8 << s (16-bit scale), and |x| + 132 >= 128 << s,
  // so half a step is at most (|x| + 132) / 32; +1 for the one's complement of
  // negatives. A-law: half a step is max(8, |x| / 32), +1 likewise. Clipping
  // above the last decision level stays inside the same bounds.
  int worstUlaw = 0;
  int worstAlaw = 0;
  for (int x = -32768; x <= 32767; ++x) {
    const auto s = static_cast<int16_t>(x);
    const int ulawError = std::abs(ulawToLinear(linearToUlaw(s)) - x);
    const int alawError = std::abs(alawToLinear(linearToAlaw(s)) - x);
    const int magnitude = std::abs(x);
    if (ulawError > (magnitude + 132) / 32 + 1)
      BOOST_FAIL("mu-law error " << ulawError << " at " << x);
    if (alawError > std::max(8, magnitude / 32) + 1)
      BOOST_FAIL("A-law error " << alawError << " at " << x);
    worstUlaw = std::max(worstUlaw, ulawError);
    worstAlaw = std::max(worstAlaw, alawError);
  }
  BOOST_TEST(worstUlaw == 644);  // -32768 clips to -32124
  BOOST_TEST(worstAlaw == 512);  // -32768 clips to -32256
}

BOOST_AUTO_TEST_CASE(encode_is_monotonic) {
  int previousUlaw = -40000;
  int previousAlaw = -40000;
  for (int x = -32768; x <= 32767; ++x) {
    const int u = ulawToLinear(linearToUlaw(static_cast<int16_t>(x)));
    const int a = alawToLinear(linearToAlaw(static_cast<int16_t>(x)));
    if (u < previousUlaw || a < previousAlaw) BOOST_FAIL("not monotonic at " << x);
    previousUlaw = u;
    previousAlaw = a;
  }
}

BOOST_AUTO_TEST_CASE(block_functions_convert_and_bound) {
  const std::array<int16_t, 5> pcm{0, 1000, -1000, 32767, -32768};
  std::array<uint8_t, 5> codes{};
  BOOST_TEST(ulawEncode(pcm, codes) == 5U);
  BOOST_TEST(codes == (std::array<uint8_t, 5>{0xFF, 0xCE, 0x4E, 0x80, 0x00}));
  std::array<int16_t, 5> back{};
  BOOST_TEST(ulawDecode(codes, back) == 5U);
  BOOST_TEST(back == (std::array<int16_t, 5>{0, 988, -988, 32124, -32124}));

  BOOST_TEST(alawEncode(pcm, codes) == 5U);
  BOOST_TEST(codes == (std::array<uint8_t, 5>{0xD5, 0xFA, 0x7A, 0xAA, 0x2A}));
  BOOST_TEST(alawDecode(codes, back) == 5U);
  BOOST_TEST(back == (std::array<int16_t, 5>{8, 1008, -1008, 32256, -32256}));

  // A short output converts only what fits.
  std::array<uint8_t, 3> shortOut{0x11, 0x22, 0x33};
  BOOST_TEST(ulawEncode(std::span<const int16_t>(pcm).first(2), shortOut) == 2U);
  BOOST_TEST(shortOut[2] == 0x33);
  std::array<int16_t, 2> shortPcm{};
  BOOST_TEST(alawDecode(codes, shortPcm) == 2U);
  BOOST_TEST(shortPcm[1] == 1008);
}

BOOST_AUTO_TEST_SUITE_END()
