#pragma once
// The leaderboard's head-to-head views, as FastChat's elo_analysis.py draws them: how often each
// model beat each other one and how often they met, both over decisive battles only (FastChat
// computes its heat maps and average win rate on the battles without ties), and the average
// win rate against all opponents met.

#include <cstdint>
#include <vector>

#include "rating/battle.h"

namespace fastchat::rating {

/// n × n matrices, row-major, indexed like BattleSet::models().
struct PairwiseStats {
  size_t num_models = 0;
  /// Decisive battles (ties left out) between row and column, either side (symmetric).
  std::vector<int64_t> decisive;
  /// Row's wins over column divided by their decisive battles; 0 where they never had one:
  /// read it together with `decisive`.
  std::vector<double> win_fraction;
  /// Per model: battles in all, ties included (the leaderboard's "battles").
  std::vector<int64_t> model_battles;
  /// Per model: mean of its win fractions over the opponents it had a decisive battle with
  /// (0 if none).
  std::vector<double> average_win_rate;

  int64_t decisive_between(size_t row, size_t column) const {
    return decisive[row * num_models + column];
  }
  double win_fraction_of(size_t row, size_t column) const {
    return win_fraction[row * num_models + column];
  }
};

PairwiseStats pairwise_stats(const BattleSet& battles);

}  // namespace fastchat::rating
