#include "rating/leaderboard.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/error/error.h"

#include "rating_test_data.h"

namespace fastchat::rating {
namespace {

bool mentions(const std::vector<std::string>& warnings, const std::string& text) {
  for (const auto& w : warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(Leaderboard, ArenaSampleInBradleyTerryOrderWithIntervals) {
  const auto sample = testing::load_arena_sample();
  LeaderboardOptions options;
  options.bootstrap.rounds = 50;
  const auto board = compute_leaderboard(sample.battles, options);
  ASSERT_EQ(board.rows.size(), 6u);
  EXPECT_TRUE(board.warnings.empty());
  EXPECT_EQ(board.rows.front().model, "model-b");
  EXPECT_EQ(board.rows.back().model, "model-d");
  EXPECT_EQ(board.rows.back().rank, 6) << "model-d is clearly below every other model";
  EXPECT_EQ(board.rows.front().rank, 1);
  for (const auto& row : board.rows) {
    EXPECT_NEAR(row.rating, sample.bradley_terry.at(row.model), 0.5) << row.model;
    EXPECT_LT(row.lower, row.rating) << row.model;
    EXPECT_GT(row.upper, row.rating) << row.model;
    EXPECT_GT(row.battles, 600);
  }
}

TEST(Leaderboard, EloUsesOnlineRatingsInFileOrder) {
  const auto sample = testing::load_arena_sample();
  LeaderboardOptions options;
  options.system = RatingSystem::Elo;
  options.bootstrap.rounds = 0;
  const auto board = compute_leaderboard(sample.battles, options);
  EXPECT_EQ(board.rows.front().model, "model-e");
  for (const auto& row : board.rows) {
    EXPECT_NEAR(row.rating, sample.online_elo.at(row.model), 1e-6);
    EXPECT_EQ(row.lower, row.rating);
  }
}

TEST(Leaderboard, RanksCountModelsClearlyAbove) {
  EXPECT_EQ(interval_ranks({10, 5, 0, 4}, {12, 11, 3, 6}), (std::vector<int>{1, 1, 4, 2}));
}

TEST(Leaderboard, AnchorPinsTheModelAndMustExist) {
  const auto set = testing::random_battles({0.0, 0.2, 0.4}, 1000, 4);
  LeaderboardOptions options;
  options.bootstrap.rounds = 10;
  options.anchor_model = "m0";
  options.anchor_rating = 1114.0;
  const auto board = compute_leaderboard(set, options);
  for (const auto& row : board.rows) {
    if (row.model == "m0") {
      EXPECT_DOUBLE_EQ(row.rating, 1114.0);
    }
  }
  options.anchor_model = "nobody";
  EXPECT_THROW(compute_leaderboard(set, options), ErrorException);
}

TEST(Leaderboard, WarnsAboutSingleBattlesAndUndefeatedModels) {
  auto set = testing::random_battles({0.0, 0.2, 0.4}, 500, 6);
  const int32_t newcomer = set.intern("newcomer");
  set.battles().push_back({newcomer, 0, Winner::ModelA, true});
  LeaderboardOptions options;
  options.bootstrap.rounds = 20;
  const auto board = compute_leaderboard(set, options);
  EXPECT_TRUE(mentions(board.warnings, "only one battle for: newcomer"));
  EXPECT_TRUE(mentions(board.warnings, "never lost: newcomer"));
  for (const auto& row : board.rows) {
    EXPECT_TRUE(std::isfinite(row.rating) && std::isfinite(row.lower) && std::isfinite(row.upper));
  }
}

}  // namespace
}  // namespace fastchat::rating
