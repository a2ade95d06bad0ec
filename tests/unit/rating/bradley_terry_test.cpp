#include "rating/bradley_terry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "rating/battle_filter.h"
#include "rating_test_data.h"

namespace fastchat::rating {
namespace {

std::vector<double> bt_ratings(const BattleSet& set, BtFit* fit_out = nullptr,
                               const RatingScale& scale = {}) {
  const OutcomeTable table(set);
  const BtFit fit = fit_bradley_terry(table.num_models(), table.pair_scores(table.counts()));
  if (fit_out != nullptr) *fit_out = fit;
  return to_ratings(fit.theta, scale);
}

TEST(BradleyTerry, ReproducesFastChatOnTheArenaSample) {
  const auto sample = testing::load_arena_sample();
  BtFit fit;
  const auto ratings = bt_ratings(sample.battles, &fit);
  EXPECT_TRUE(fit.converged);
  EXPECT_FALSE(fit.regularized);
  EXPECT_LE(fit.iterations, 10);
  for (const auto& [model, expected] : sample.bradley_terry) {
    EXPECT_NEAR(testing::rating_of(sample.battles, ratings, model), expected, 0.5) << model;
  }
  EXPECT_NEAR(std::accumulate(fit.theta.begin(), fit.theta.end(), 0.0), 0.0, 1e-12);
}

TEST(BradleyTerry, SymmetricDataGivesEqualRatings) {
  BattleSet set;
  std::vector<std::tuple<std::string, std::string, Winner>> list;
  const std::vector<std::string> models{"a", "b", "c", "d"};
  for (const auto& x : models) {
    for (const auto& y : models) {
      if (x == y) continue;
      list.emplace_back(x, y, Winner::ModelA);
      list.emplace_back(x, y, Winner::Tie);
    }
  }
  for (double r : bt_ratings(testing::make_battles(list))) EXPECT_NEAR(r, 1000.0, 1e-9);
}

TEST(BradleyTerry, AModelThatAlwaysWinsIsFiniteAndHighestWithThePrior) {
  auto set = testing::random_battles({0.0, 0.1, 0.2}, 300, 3);
  const int32_t champion = set.intern("champion");
  for (int32_t other = 0; other < 3; ++other) {
    for (int i = 0; i < 10; ++i) {
      set.battles().push_back({champion, other, Winner::ModelA, true});
      set.battles().push_back({other, champion, Winner::ModelB, true});
    }
  }
  BtFit fit;
  const auto ratings = bt_ratings(set, &fit);
  EXPECT_TRUE(fit.regularized);
  EXPECT_TRUE(fit.converged);
  for (double r : ratings) EXPECT_TRUE(std::isfinite(r));
  EXPECT_EQ(std::max_element(ratings.begin(), ratings.end()) - ratings.begin(), champion);
  EXPECT_GT(ratings[champion], ratings[2] + 200);
}

TEST(BradleyTerry, DisconnectedGroupsStayFinite) {
  const auto set = testing::make_battles(
      {{"a", "b", Winner::ModelA}, {"b", "a", Winner::ModelA}, {"c", "d", Winner::Tie}});
  const OutcomeTable table(set);
  EXPECT_FALSE(strongly_connected(table.num_models(), table.pair_scores(table.counts())));
  BtFit fit;
  const auto ratings = bt_ratings(set, &fit);
  EXPECT_TRUE(fit.regularized);
  for (double r : ratings) EXPECT_NEAR(r, 1000.0, 1e-6);
}

TEST(BradleyTerry, DoesNotDependOnTheOrderOfBattles) {
  auto set = testing::random_battles({0.0, 0.2, 0.4, -0.3}, 2000, 9);
  const auto before = bt_ratings(set);
  std::mt19937_64 rng(2);
  std::shuffle(set.battles().begin(), set.battles().end(), rng);
  const auto after = bt_ratings(set);
  for (size_t m = 0; m < before.size(); ++m) EXPECT_NEAR(before[m], after[m], 1e-9);
}

TEST(BradleyTerry, RecoversPlantedStrengths) {
  const std::vector<double> theta{-0.3, 0.0, 0.1, 0.4};
  // The synthetic ties ignore strength, so only the decisive votes follow the model exactly.
  BattleFilter decisive;
  decisive.exclude_ties = true;
  const auto set = filter_battles(testing::random_battles(theta, 200000, 11), decisive);
  const auto ratings = bt_ratings(set);
  const double mean = std::accumulate(theta.begin(), theta.end(), 0.0) / 4;
  for (size_t m = 0; m < theta.size(); ++m) {
    const std::string name = std::string("m").append(std::to_string(m));  // filtering renumbers
    EXPECT_NEAR(testing::rating_of(set, ratings, name), 1000 + 400 * (theta[m] - mean), 8.0)
        << name;
  }
}

TEST(BradleyTerry, AnchorPinsTheModel) {
  const auto set = testing::random_battles({0.0, 0.2, 0.4}, 1000, 4);
  const auto free = bt_ratings(set);
  RatingScale scale;
  scale.anchor_model = 1;
  scale.anchor_rating = 1114.0;
  const auto pinned = bt_ratings(set, nullptr, scale);
  EXPECT_DOUBLE_EQ(pinned[1], 1114.0);
  EXPECT_NEAR(pinned[2] - pinned[0], free[2] - free[0], 1e-9) << "differences are kept";
}

}  // namespace
}  // namespace fastchat::rating
