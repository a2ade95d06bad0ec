#include "rating/bootstrap.h"

#include <gtest/gtest.h>

#include "rating_test_data.h"

namespace fastchat::rating {
namespace {

BootstrapSamples bt_samples(const BattleSet& set, int rounds, uint64_t seed, int threads) {
  const OutcomeTable table(set);
  const BtFit fit = fit_bradley_terry(table.num_models(), table.pair_scores(table.counts()));
  return bootstrap_bradley_terry(table, fit, {}, {}, {rounds, seed, threads});
}

double width(const BootstrapSamples& samples, size_t model) {
  return rating_quantile(samples, model, 0.975) - rating_quantile(samples, model, 0.025);
}

TEST(Bootstrap, DependsOnTheSeedNotOnTheThreads) {
  const auto set = testing::random_battles({0.0, 0.2, 0.4, -0.1}, 3000, 1);
  const auto one = bt_samples(set, 20, 7, 1);
  const auto three = bt_samples(set, 20, 7, 3);
  EXPECT_EQ(one.ratings, three.ratings);
  const auto other_seed = bt_samples(set, 20, 8, 3);
  EXPECT_NE(one.ratings, other_seed.ratings);
  const auto elo_one = bootstrap_online_elo(set, {}, {}, {10, 7, 1});
  const auto elo_two = bootstrap_online_elo(set, {}, {}, {10, 7, 2});
  EXPECT_EQ(elo_one.ratings, elo_two.ratings);
}

TEST(Bootstrap, IntervalsShrinkWithMoreBattles) {
  const std::vector<double> theta{0.0, 0.2, 0.4, -0.1};
  const auto few = bt_samples(testing::random_battles(theta, 1000, 2), 100, 0, 0);
  const auto many = bt_samples(testing::random_battles(theta, 16000, 2), 100, 0, 0);
  for (size_t m = 0; m < theta.size(); ++m) {
    EXPECT_LT(width(many, m), 0.5 * width(few, m)) << m;  // about 1/4 expected (1/√16)
    EXPECT_GT(width(many, m), 0.0);
  }
}

TEST(Bootstrap, ReportsEveryFinishedRound) {
  const auto set = testing::random_battles({0.0, 0.2, 0.4}, 500, 3);
  std::vector<int> seen;
  BootstrapOptions options{12, 0, 3};
  options.on_round_done = [&](int done, int total) {
    EXPECT_EQ(total, 12);
    seen.push_back(done);  // serialised by the library, so no lock here
  };
  bootstrap_online_elo(set, {}, {}, options);
  ASSERT_EQ(seen.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(seen[i], i + 1);
}

TEST(Bootstrap, QuantilesInterpolateLinearly) {
  BootstrapSamples samples;
  samples.rounds = 5;
  samples.num_models = 1;
  samples.ratings = {5, 1, 4, 2, 3};
  EXPECT_DOUBLE_EQ(rating_quantile(samples, 0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(rating_quantile(samples, 0, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(rating_quantile(samples, 0, 0.025), 1.1);
  EXPECT_DOUBLE_EQ(rating_quantile(samples, 0, 1.0), 5.0);
}

}  // namespace
}  // namespace fastchat::rating
