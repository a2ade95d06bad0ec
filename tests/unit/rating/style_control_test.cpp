#include "rating/style_control.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/error/error.h"
#include "rating/leaderboard.h"
#include "rating_test_data.h"

namespace fastchat::rating {
namespace {

// Battles whose outcome depends on the models' strengths and on the length ratio
// d = (ta − tb) / (ta + tb + 1) with log-odds `length_effect` per unit of d; headers, lists and
// bold vary at random and have no effect. Decisive votes only, so the model is exact.
BattleSet styled_battles(const std::vector<double>& theta, double length_effect, int64_t count,
                         uint64_t seed, double* sd_of_d) {
  std::mt19937_64 rng(seed);
  BattleSet set;
  for (size_t m = 0; m < theta.size(); ++m) set.intern(std::string("m").append(std::to_string(m)));
  std::uniform_int_distribution<int> pick(0, static_cast<int>(theta.size()) - 1);
  std::uniform_int_distribution<int> tokens(50, 1500), small(0, 6);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double sum = 0, square = 0;
  for (int64_t i = 0; i < count; ++i) {
    Battle battle;
    battle.model_a = pick(rng);
    do {
      battle.model_b = pick(rng);
    } while (battle.model_b == battle.model_a);
    StyleCounts style;
    for (size_t f = 0; f < StyleCounts::kFeatures; ++f) {
      style.a[f] = f == StyleCounts::kTokens ? tokens(rng) : small(rng);
      style.b[f] = f == StyleCounts::kTokens ? tokens(rng) : small(rng);
    }
    const double d = (style.a[0] - style.b[0]) / (style.a[0] + style.b[0] + 1);
    sum += d;
    square += d * d;
    const double x =
        std::log(10.0) * (theta[battle.model_a] - theta[battle.model_b]) + length_effect * d;
    battle.winner = unit(rng) < 1 / (1 + std::exp(-x)) ? Winner::ModelA : Winner::ModelB;
    battle.style = static_cast<int32_t>(set.styles().size());
    set.styles().push_back(style);
    set.battles().push_back(battle);
  }
  const double mean = sum / count;
  *sd_of_d = std::sqrt(square / count - mean * mean);
  return set;
}

TEST(StyleControl, RecoversPlantedStrengthsAndLengthEffect) {
  const std::vector<double> theta{-0.2, 0.0, 0.1, 0.1};
  double sd = 0;
  const auto set = styled_battles(theta, 2.0, 60000, 3, &sd);
  const StyleFit fit = fit_style_control(style_data(set));
  EXPECT_TRUE(fit.converged);
  // β is per standard deviation of the normalised feature.
  EXPECT_NEAR(fit.coefficients[StyleCounts::kTokens], 2.0 * sd, 0.05);
  for (size_t f = 1; f < StyleCounts::kFeatures; ++f) EXPECT_NEAR(fit.coefficients[f], 0.0, 0.04);
  for (size_t m = 0; m < theta.size(); ++m) {
    EXPECT_NEAR(400 * fit.theta[m], 400 * theta[m], 12.0) << m;  // planted θ have mean 0
  }
}

TEST(StyleControl, PlainBradleyTerryIsBiasedByStyleThatStyleControlRemoves) {
  // m1 is as strong as m0 but writes longer replies, which voters like.
  std::mt19937_64 rng(5);
  BattleSet set;
  const int32_t m0 = set.intern("m0"), m1 = set.intern("m1");
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 20000; ++i) {
    const bool swap = i % 2 == 1;
    const double long_len = 800 + 400 * unit(rng), short_len = 200 + 400 * unit(rng);
    StyleCounts style;
    style.a[0] = swap ? short_len : long_len;
    style.b[0] = swap ? long_len : short_len;
    const double d = (style.a[0] - style.b[0]) / (style.a[0] + style.b[0] + 1);
    const bool a_wins = unit(rng) < 1 / (1 + std::exp(-1.5 * d));
    Battle battle{swap ? m0 : m1, swap ? m1 : m0, a_wins ? Winner::ModelA : Winner::ModelB, true,
                  static_cast<int32_t>(set.styles().size())};
    set.styles().push_back(style);
    set.battles().push_back(battle);
  }
  LeaderboardOptions options;
  options.bootstrap.rounds = 0;
  const auto plain = compute_leaderboard(set, options);
  options.style_control = true;
  const auto controlled = compute_leaderboard(set, options);
  auto gap = [](const Leaderboard& board) {
    return std::abs(board.rows[0].rating - board.rows[1].rating);
  };
  EXPECT_GT(gap(plain), 40.0);
  EXPECT_LT(gap(controlled), 10.0);
  EXPECT_GT(controlled.style_fit.coefficients[0], 0.3);
}

TEST(StyleControl, NeedsConvMetadataOnEveryBattle) {
  const auto set = testing::make_battles({{"a", "b", Winner::ModelA}, {"b", "a", Winner::Tie}});
  try {
    style_data(set);
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().param, "conv_metadata");
    EXPECT_NE(e.error().message.find("2 of 2 battles"), std::string::npos) << e.error().message;
  }
  LeaderboardOptions options;
  options.style_control = true;
  options.system = RatingSystem::Elo;
  EXPECT_THROW(compute_leaderboard(set, options), ErrorException);
}

TEST(StyleControl, BootstrapIsSeeded) {
  double sd = 0;
  const auto set = styled_battles({0.0, 0.1, 0.2}, 1.0, 3000, 4, &sd);
  const auto data = style_data(set);
  const auto fit = fit_style_control(data);
  const auto one = bootstrap_style_control(data, fit, {}, {}, {8, 1, 1});
  const auto two = bootstrap_style_control(data, fit, {}, {}, {8, 1, 2});
  EXPECT_EQ(one.ratings, two.ratings);
  EXPECT_GT(rating_quantile(one, 2, 0.975), rating_quantile(one, 2, 0.025));
}

}  // namespace
}  // namespace fastchat::rating
