#include <array>
#include <boost/test/unit_test.hpp>

#include "media/codec/AudioFrame.h"

using namespace callgate::media::codec;

BOOST_AUTO_TEST_SUITE(audio_frame)

BOOST_AUTO_TEST_CASE(frame_sizes) {
  BOOST_TEST(frameSamplesFor(8000) == kFrameSamples8k);
  BOOST_TEST(frameSamplesFor(16000) == kFrameSamples16k);
  BOOST_TEST(frameSamplesFor(48000) == kFrameSamples48k);
  BOOST_TEST(frameSamplesFor(44100) == 882U);
  BOOST_TEST(frameSamplesFor(0) == 0U);
  BOOST_TEST(frameSamplesFor(96000) == 0U);
  BOOST_TEST(frameSamplesFor(8001) == 0U);
  BOOST_TEST(kMaxFrameSamples == 1920U);
}

BOOST_AUTO_TEST_CASE(downmix_averages_channels) {
  AudioFrame f;
  f.sampleRate = 48000;
  f.channels = 2;
  f.count = 3;
  const std::array<int16_t, 6> stereo{100, 300, -32768, -32768, 32767, 32767};
  std::copy(stereo.begin(), stereo.end(), f.samples.begin());
  BOOST_TEST(downmixToMono(f));
  BOOST_TEST(f.channels == 1);
  BOOST_TEST(f.count == 3U);
  BOOST_TEST(f.samples[0] == 200);
  BOOST_TEST(f.samples[1] == -32768);
  BOOST_TEST(f.samples[2] == 32767);
  BOOST_TEST(!downmixToMono(f));  // already mono
}

BOOST_AUTO_TEST_CASE(upmix_duplicates_in_place) {
  AudioFrame f;
  f.channels = 1;
  f.count = kFrameSamples48k;
  for (size_t i = 0; i < f.count; ++i) f.samples[i] = static_cast<int16_t>(i);
  BOOST_TEST(upmixToStereo(f));
  BOOST_TEST(f.channels == 2);
  BOOST_TEST(f.interleaved().size() == kMaxFrameSamples);
  for (size_t i = 0; i < f.count; ++i) {
    BOOST_TEST(f.samples[2 * i] == static_cast<int16_t>(i));
    BOOST_TEST(f.samples[2 * i + 1] == static_cast<int16_t>(i));
  }
  BOOST_TEST(!upmixToStereo(f));
  // Downmix restores the original.
  BOOST_TEST(downmixToMono(f));
  for (size_t i = 0; i < f.count; ++i) BOOST_TEST(f.samples[i] == static_cast<int16_t>(i));
}

BOOST_AUTO_TEST_CASE(spans_are_bounded) {
  std::array<int16_t, 5> buf{1, 2, 3, 0, 0};
  BOOST_TEST(!upmixMonoToStereo(buf, 3));  // needs 6
  BOOST_TEST(upmixMonoToStereo(buf, 2));
  BOOST_TEST(buf == (std::array<int16_t, 5>{1, 1, 2, 2, 0}));
  AudioFrame bad;
  bad.channels = 2;
  bad.count = kFrameSamples48k + 1;  // more than the storage holds
  BOOST_TEST(!bad.valid());
  BOOST_TEST(bad.interleaved().empty());
  BOOST_TEST(!downmixToMono(bad));
}

BOOST_AUTO_TEST_SUITE_END()
