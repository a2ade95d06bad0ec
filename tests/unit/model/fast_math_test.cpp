#include <gtest/gtest.h>

#include <cmath>

#include "model/layers/fast_math.h"
#include "model/layers/float8.h"

namespace fastchat::model::layers {
namespace {

TEST(FastMath, ScalarAndVectorExpMatchLibmClosely) {
  double worst = 0;
  for (float x = -80.0f; x <= 80.0f; x += 0.01337f) {
    const double expected = std::exp(static_cast<double>(x));
    const double scalar = fast_exp(x);
    Float8 lanes = broadcast8(x);
    lanes[3] = x;  // lanes are independent; check one besides lane 0
    const Float8 vector = exp8(lanes);
    worst = std::max(worst, std::abs(scalar - expected) / expected);
    worst = std::max(worst, std::abs(vector[0] - expected) / expected);
    EXPECT_EQ(vector[0], vector[3]);
    EXPECT_FLOAT_EQ(static_cast<float>(scalar), vector[0]);
  }
  EXPECT_LT(worst, 5e-7);
}

TEST(FastMath, SaturatesInsteadOfOverflowing) {
  EXPECT_GT(fast_exp(-1000.0f), 0.0f);
  EXPECT_LT(fast_exp(-1000.0f), 1e-37f);
  EXPECT_TRUE(std::isfinite(fast_exp(1000.0f)));
  EXPECT_FLOAT_EQ(fast_exp(0.0f), 1.0f);
}

}  // namespace
}  // namespace fastchat::model::layers
