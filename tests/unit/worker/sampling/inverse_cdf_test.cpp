#include "worker/sampling/inverse_cdf.h"

#include <gtest/gtest.h>

#include <vector>

namespace fastchat::sampling {
namespace {

TEST(InverseCdfTest, PicksFirstEntryWhoseCumulativeMassExceedsTarget) {
  const std::vector<double> probs{0.2, 0.0, 0.5, 0.3};
  EXPECT_EQ(pick_in_block(probs, 0.0), 0);
  EXPECT_EQ(pick_in_block(probs, 0.19), 0);
  EXPECT_EQ(pick_in_block(probs, 0.2), 2);  // skips the zero-mass entry
  EXPECT_EQ(pick_in_block(probs, 0.69), 2);
  EXPECT_EQ(pick_in_block(probs, 0.7), 3);
}

TEST(InverseCdfTest, RoundingPastTheTotalFallsBackToLastPositiveEntry) {
  const std::vector<double> probs{0.5, 0.5, 0.0};
  EXPECT_EQ(pick_in_block(probs, 1.0000001), 1);
  EXPECT_EQ(pick_in_block(std::vector<double>{0.0, 0.0}, 0.0), -1);
}

TEST(InverseCdfTest, PickBlockReducesTarget) {
  const std::vector<double> sums{0.25, 0.0, 0.75};
  double target = 0.5;
  EXPECT_EQ(pick_block(sums, target), 2);
  EXPECT_DOUBLE_EQ(target, 0.25);
  target = 2.0;
  EXPECT_EQ(pick_block(sums, target), 2);
  EXPECT_DOUBLE_EQ(target, 1.75);  // then pick_in_block falls back to the block's last entry
}

}  // namespace
}  // namespace fastchat::sampling
