#include "rating/pairwise_stats.h"

namespace fastchat::rating {

PairwiseStats pairwise_stats(const BattleSet& battles) {
  PairwiseStats stats;
  const size_t n = battles.num_models();
  stats.num_models = n;
  stats.decisive.assign(n * n, 0);
  stats.win_fraction.assign(n * n, 0.0);
  stats.model_battles.assign(n, 0);
  stats.average_win_rate.assign(n, 0.0);
  std::vector<int64_t> wins(n * n, 0);
  for (const Battle& b : battles.battles()) {
    ++stats.model_battles[b.model_a];
    ++stats.model_battles[b.model_b];
    if (is_tie(b.winner)) continue;
    ++stats.decisive[b.model_a * n + b.model_b];
    ++stats.decisive[b.model_b * n + b.model_a];
    if (b.winner == Winner::ModelA) ++wins[b.model_a * n + b.model_b];
    if (b.winner == Winner::ModelB) ++wins[b.model_b * n + b.model_a];
  }
  for (size_t row = 0; row < n; ++row) {
    double sum = 0.0;
    int met = 0;
    for (size_t column = 0; column < n; ++column) {
      const int64_t count = stats.decisive[row * n + column];
      if (count == 0) continue;
      const double fraction =
          static_cast<double>(wins[row * n + column]) / static_cast<double>(count);
      stats.win_fraction[row * n + column] = fraction;
      sum += fraction;
      ++met;
    }
    stats.average_win_rate[row] = met > 0 ? sum / met : 0.0;
  }
  return stats;
}

}  // namespace fastchat::rating
