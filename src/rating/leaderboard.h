#pragma once
// A leaderboard from battles, as FastChat's report_elo_analysis_results: ratings (Bradley–Terry
// or online Elo), bootstrap 95% intervals, ranks from non-overlapping intervals, battle counts
// and win rates. Pure computation; warnings are returned, not logged, for the caller to show.

#include <cstdint>
#include <string>
#include <vector>

#include "rating/battle.h"
#include "rating/bootstrap.h"
#include "rating/bradley_terry.h"
#include "rating/online_elo.h"
#include "rating/pairwise_stats.h"
#include "rating/style_control.h"

namespace fastchat::rating {

enum class RatingSystem { Elo, BradleyTerry };

/// "elo" or "bt", as the program's flag and JSON spell them.
const char* rating_system_name(RatingSystem system);

struct LeaderboardOptions {
  RatingSystem system = RatingSystem::BradleyTerry;
  EloOptions elo;
  BtOptions bt;
  /// Scale, initial rating and anchor of Bradley–Terry ratings (the anchor shifts Elo too).
  RatingScale scale;
  /// Pins this model's rating to anchor_rating (empty: none). It must be among the models.
  std::string anchor_model;
  double anchor_rating = 0.0;
  BootstrapOptions bootstrap;  ///< rounds = 0: no intervals (lower = upper = rating)
  /// Ratings net of reply style (FastChat's --style-control; bt only; every battle needs
  /// conv_metadata).
  bool style_control = false;
  StyleOptions style;
};

struct LeaderboardRow {
  std::string model;
  double rating = 0.0;
  double lower = 0.0;  ///< 2.5th percentile over the bootstrap rounds
  double upper = 0.0;  ///< 97.5th percentile
  int rank = 1;        ///< 1 + models whose lower bound exceeds this model's upper bound
  int64_t battles = 0;
  double win_rate = 0.0;  ///< average win fraction against the opponents met, ties left out
};

/// Wall time of each stage, for the benchmark.
struct LeaderboardTimings {
  double online_elo_s = 0.0;
  double bradley_terry_s = 0.0;
  double bootstrap_s = 0.0;
  double pairwise_s = 0.0;
};

struct Leaderboard {
  RatingSystem system = RatingSystem::BradleyTerry;
  std::vector<LeaderboardRow> rows;  ///< by rating, highest first
  std::vector<std::string> warnings;
  BtFit fit;                       ///< the Bradley–Terry fit on all battles (bt only)
  bool style_control = false;      ///< ratings are net of reply style
  StyleFit style_fit;              ///< with style control: θ and the style coefficients β
  std::vector<double> online_elo;  ///< online Elo in file order, per model of the battle set
  PairwiseStats pairwise;          ///< indexed like the battle set's models
  LeaderboardTimings timings;
};

/// Computes the leaderboard of `battles` (already filtered). Throws ErrorException
/// {InvalidConfig} when anchor_model names no model of `battles` or style control is asked of
/// online Elo, {InvalidRequest} when style control meets a battle without conv_metadata.
Leaderboard compute_leaderboard(const BattleSet& battles, const LeaderboardOptions& options);

/// rank of each model from its interval: 1 + the number of models whose lower bound exceeds its
/// upper bound.
std::vector<int> interval_ranks(const std::vector<double>& lower, const std::vector<double>& upper);

}  // namespace fastchat::rating
