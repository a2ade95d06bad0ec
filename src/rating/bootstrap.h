#pragma once
// Bootstrap confidence intervals, as FastChat's compute_bootstrap_bt and compute_bootstrap_elo:
// each round refits the ratings on resampled battles; the 95% interval is the 2.5 and 97.5
// percentiles of a model's ratings over the rounds. Rounds run on all cores; round r draws from
// its own generator seeded with (seed, r), so the result depends on the seed only, not on the
// number of threads.

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "rating/bradley_terry.h"
#include "rating/online_elo.h"
#include "rating/outcome_table.h"

namespace fastchat::rating {

struct BootstrapOptions {
  int rounds = 100;
  uint64_t seed = 0;
  int threads = 0;  ///< 0: std::thread::hardware_concurrency()
  /// Called after each finished round with (rounds done, rounds), for a progress bar. Calls are
  /// serialised (one at a time, from the worker threads), so it need not be thread-safe.
  std::function<void(int, int)> on_round_done = nullptr;
};

/// Ratings of every round: rounds × models, row-major.
struct BootstrapSamples {
  int rounds = 0;
  size_t num_models = 0;
  std::vector<double> ratings;
  int regularized_rounds = 0;  ///< rounds whose redraw needed BtOptions::fallback_l2
  int unconverged_rounds = 0;  ///< rounds that hit BtOptions::max_iterations

  double at(int round, size_t model) const { return ratings[round * num_models + model]; }
};

/// Bradley–Terry rounds: each redraws the table's counts from a multinomial and refits, warm
/// started from `start` (the fit on all battles).
BootstrapSamples bootstrap_bradley_terry(const OutcomeTable& table, const BtFit& start,
                                         const BtOptions& bt, const RatingScale& scale,
                                         const BootstrapOptions& options);

/// Online Elo rounds: each runs online Elo over as many battles drawn with replacement (in the
/// drawn order).
BootstrapSamples bootstrap_online_elo(const BattleSet& battles, const EloOptions& elo,
                                      const RatingScale& scale, const BootstrapOptions& options);

/// Runs body(round) for rounds 0..rounds-1 on options.threads threads, reporting each finished
/// round to options.on_round_done.
void for_each_round(const BootstrapOptions& options, const std::function<void(int)>& body);

/// Round `round`'s generator: a function of (seed, round) only, whichever thread runs it.
std::mt19937_64 round_rng(uint64_t seed, int round);

/// The `q`-quantile (0..1) of model's ratings over the rounds, interpolated linearly between
/// order statistics (numpy's and pandas' default).
double rating_quantile(const BootstrapSamples& samples, size_t model, double q);

}  // namespace fastchat::rating
