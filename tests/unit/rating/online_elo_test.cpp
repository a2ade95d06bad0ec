#include "rating/online_elo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "rating_test_data.h"

namespace fastchat::rating {
namespace {

TEST(OnlineElo, ReproducesFastChatOnTheArenaSample) {
  const auto sample = testing::load_arena_sample();
  const auto ratings = online_elo(sample.battles);
  ASSERT_EQ(sample.online_elo.size(), sample.battles.num_models());
  for (const auto& [model, expected] : sample.online_elo) {
    EXPECT_NEAR(testing::rating_of(sample.battles, ratings, model), expected, 1e-6) << model;
  }
}

TEST(OnlineElo, OneBattleMovesBothRatingsByHalfK) {
  const auto set = testing::make_battles({{"a", "b", Winner::ModelA}});
  const auto ratings = online_elo(set);
  EXPECT_DOUBLE_EQ(ratings[0], 1002.0);
  EXPECT_DOUBLE_EQ(ratings[1], 998.0);
  const auto tie = online_elo(testing::make_battles({{"a", "b", Winner::TieBothBad}}));
  EXPECT_DOUBLE_EQ(tie[0], 1000.0);
}

TEST(OnlineElo, DependsOnTheOrderOfBattles) {
  auto set = testing::random_battles({0.0, 0.2, 0.4}, 300, 5);
  const auto before = online_elo(set);
  std::mt19937_64 rng(1);
  std::shuffle(set.battles().begin(), set.battles().end(), rng);
  const auto after = online_elo(set);
  EXPECT_GT(std::abs(before[0] - after[0]), 1e-6);
}

}  // namespace
}  // namespace fastchat::rating
