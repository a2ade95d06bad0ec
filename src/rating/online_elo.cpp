#include "rating/online_elo.h"

#include <cmath>

namespace fastchat::rating {
namespace {

// The operations of FastChat's compute_elo (rating_systems.py), in its order, so that the
// ratings agree to rounding: one expectation from exp(α·(rb − ra)) with α = ln(base)/scale, and
// one update added to a and taken from b.
inline void update(std::vector<double>& rating, const Battle& battle, const EloOptions& o,
                   double alpha) {
  double& ra = rating[battle.model_a];
  double& rb = rating[battle.model_b];
  const double prob = 1.0 / (1.0 + std::exp(alpha * (rb - ra)));
  const double change = o.k * (score_a(battle.winner) - prob);
  ra += change;
  rb -= change;
}

}  // namespace

std::vector<double> online_elo(const BattleSet& battles, const EloOptions& options) {
  std::vector<double> rating(battles.num_models(), options.init_rating);
  const double alpha = std::log(options.base) / options.scale;
  for (const Battle& battle : battles.battles()) update(rating, battle, options, alpha);
  return rating;
}

std::vector<double> online_elo(const BattleSet& battles, const std::vector<uint32_t>& order,
                               const EloOptions& options) {
  std::vector<double> rating(battles.num_models(), options.init_rating);
  const auto& all = battles.battles();
  const double alpha = std::log(options.base) / options.scale;
  for (uint32_t i : order) update(rating, all[i], options, alpha);
  return rating;
}

}  // namespace fastchat::rating
