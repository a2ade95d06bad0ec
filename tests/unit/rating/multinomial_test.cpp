#include "rating/multinomial.h"

#include <gtest/gtest.h>

#include <numeric>

namespace fastchat::rating {
namespace {

TEST(Multinomial, KeepsTheTotalAndEmptyCellsEmpty) {
  const std::vector<int64_t> counts{5, 0, 100, 1, 0, 40};
  std::mt19937_64 rng(3);
  for (int round = 0; round < 50; ++round) {
    const auto drawn = draw_multinomial(counts, rng);
    EXPECT_EQ(std::accumulate(drawn.begin(), drawn.end(), int64_t{0}), 146);
    EXPECT_EQ(drawn[1], 0);
    EXPECT_EQ(drawn[4], 0);
  }
}

TEST(Multinomial, MeansFollowTheCounts) {
  const std::vector<int64_t> counts{100, 300, 600};
  std::mt19937_64 rng(4);
  std::vector<double> sum(3, 0.0);
  const int rounds = 2000;
  for (int round = 0; round < rounds; ++round) {
    const auto drawn = draw_multinomial(counts, rng);
    for (size_t i = 0; i < 3; ++i) sum[i] += static_cast<double>(drawn[i]);
  }
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(sum[i] / rounds, counts[i], 2.0) << i;
}

}  // namespace
}  // namespace fastchat::rating
