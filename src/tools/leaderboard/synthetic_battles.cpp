#include "tools/leaderboard/synthetic_battles.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace fastchat::leaderboard {

rating::BattleSet synthetic_battles(const SyntheticOptions& options) {
  std::mt19937_64 rng(options.seed);
  rating::BattleSet set;
  std::vector<double> theta(options.models);
  std::normal_distribution<double> strength(0.0, options.strength_sd);
  for (int m = 0; m < options.models; ++m) {
    char name[32];
    std::snprintf(name, sizeof name, "model-%03d", m);
    set.intern(name);
    theta[m] = strength(rng);
  }
  std::uniform_int_distribution<int> pick(0, options.models - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  set.battles().reserve(options.battles);
  for (int64_t i = 0; i < options.battles; ++i) {
    rating::Battle battle;
    battle.model_a = pick(rng);
    do {
      battle.model_b = pick(rng);
    } while (battle.model_b == battle.model_a && options.models > 1);
    const double u = unit(rng);
    const double p_a = 1.0 / (1.0 + std::pow(10.0, theta[battle.model_b] - theta[battle.model_a]));
    if (u < options.tie_share) {
      battle.winner = u < options.tie_share / 4 ? rating::Winner::TieBothBad : rating::Winner::Tie;
    } else {
      const double v = (u - options.tie_share) / (1.0 - options.tie_share);
      battle.winner = v < p_a ? rating::Winner::ModelA : rating::Winner::ModelB;
    }
    if (options.style) {
      rating::StyleCounts style;
      for (auto* side : {&style.a, &style.b}) {
        (*side)[rating::StyleCounts::kTokens] = 50 + static_cast<double>(rng() % 1500);
        for (size_t f = 1; f < rating::StyleCounts::kFeatures; ++f) {
          (*side)[f] = static_cast<double>(rng() % 8);
        }
      }
      battle.style = static_cast<int32_t>(set.styles().size());
      set.styles().push_back(style);
    }
    set.battles().push_back(battle);
  }
  return set;
}

}  // namespace fastchat::leaderboard
