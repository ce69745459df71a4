// Simulcast (draft 7.4): the requested layer, else the highest that fits
// the receiver's bandwidth, else the lowest.
#include <gtest/gtest.h>

#include <vector>

#include "server/media/layer_choice.hpp"

using namespace qsip::server::media;

namespace {
const std::vector<Layer> kLayers = {{10, "h", 2'500'000}, {11, "m", 800'000}, {12, "l", 150'000}};
}

TEST(LayerChoice, AnExplicitRequestWins) {
  EXPECT_EQ(choose_layer(kLayers, layer_index(kLayers, "h"), 1), 0u);
  EXPECT_EQ(choose_layer(kLayers, layer_index(kLayers, "l"), 100'000'000), 2u);
}

TEST(LayerChoice, TheHighestLayerThatFitsTheBandwidth) {
  EXPECT_EQ(choose_layer(kLayers, kNoRequest, 10'000'000), 0u);
  EXPECT_EQ(choose_layer(kLayers, kNoRequest, 1'000'000), 1u);
  EXPECT_EQ(choose_layer(kLayers, kNoRequest, 800'000), 1u) << "a max_bitrate equal to the bandwidth fits";
  EXPECT_EQ(choose_layer(kLayers, kNoRequest, 200'000), 2u);
}

TEST(LayerChoice, TheLowestWhenNothingFitsOrNoEstimateYet) {
  EXPECT_EQ(choose_layer(kLayers, kNoRequest, 1'000), 2u);
  EXPECT_EQ(choose_layer(kLayers, kNoRequest, 0), 2u);
}

TEST(LayerChoice, UnknownRidsAreNoRequest) {
  EXPECT_EQ(layer_index(kLayers, "x"), kNoRequest);
  EXPECT_EQ(layer_index(kLayers, ""), kNoRequest);
  EXPECT_EQ(layer_index(kLayers, "m"), 1);
  EXPECT_EQ(choose_layer(kLayers, 7, 0), 2u) << "an out-of-range index is ignored";
}
