#include "rating/pairwise_stats.h"

#include <gtest/gtest.h>

#include "rating_test_data.h"

namespace fastchat::rating {
namespace {

TEST(PairwiseStats, CountsDecisiveBattlesAndWinsEitherSide) {
  const auto set = testing::make_battles({{"a", "b", Winner::ModelA},
                                          {"b", "a", Winner::ModelA},
                                          {"a", "b", Winner::Tie},
                                          {"a", "b", Winner::ModelA},
                                          {"c", "a", Winner::ModelB},
                                          {"b", "c", Winner::TieBothBad}});
  const auto stats = pairwise_stats(set);
  EXPECT_EQ(stats.decisive_between(0, 1), 3) << "the tie is left out, as FastChat's heat maps";
  EXPECT_EQ(stats.decisive_between(1, 0), 3);
  EXPECT_EQ(stats.decisive_between(1, 2), 0);
  EXPECT_DOUBLE_EQ(stats.win_fraction_of(0, 1), 2.0 / 3);
  EXPECT_DOUBLE_EQ(stats.win_fraction_of(1, 0), 1.0 / 3);
  EXPECT_DOUBLE_EQ(stats.win_fraction_of(0, 2), 1.0);
  EXPECT_EQ(stats.model_battles, (std::vector<int64_t>{5, 5, 2})) << "ties count as battles";
  EXPECT_DOUBLE_EQ(stats.average_win_rate[0], (2.0 / 3 + 1.0) / 2);
  EXPECT_DOUBLE_EQ(stats.average_win_rate[1], 1.0 / 3) << "only opponents met count";
  EXPECT_DOUBLE_EQ(stats.average_win_rate[2], 0.0);
}

}  // namespace
}  // namespace fastchat::rating
