#pragma once
// Bradley–Terry maximum likelihood as FastChat's compute_bt (rating_systems.py): strengths θ
// with P(a beats b) = 1 / (1 + base^(θb − θa)), ties counting half a win and half a loss,
// ratings scale·θ + init with θ of mean 0. Fitted by Newton's method on the exact Hessian of
// this small convex problem (one n×n LDLT per step, n = number of models), to the optimum
// rather than to L-BFGS's tolerance.

#include <string>
#include <vector>

#include "rating/outcome_table.h"

namespace fastchat::rating {

struct BtOptions {
  double base = 10.0;        ///< odds base of θ
  int max_iterations = 100;  ///< Newton steps; 10 or fewer suffice on connected data
  double tolerance = 1e-9;   ///< stop when max |gradient| <= tolerance · battles
  /// Weight λ of the prior λ/2 · Σθ² that is added only when the maximum-likelihood θ does not
  /// exist (comparison graph not strongly connected: a model that never lost or never won, or
  /// groups that never met). In rating points it is a Gaussian prior of sd 400/√λ = 4,000: it
  /// keeps such ratings finite while barely moving the others.
  double fallback_l2 = 0.01;
};

/// What the fit found. θ is in units of log-odds / ln(base), mean 0.
struct BtFit {
  std::vector<double> theta;
  int iterations = 0;
  double max_gradient = 0.0;  ///< max |∂loss/∂θ| at the end
  bool converged = false;
  bool regularized = false;  ///< the fallback prior was needed
};

/// Whether every model beat (or tied), directly or through others, every other model and was
/// beaten by it: the condition for a finite maximum-likelihood θ.
bool strongly_connected(size_t num_models, const std::vector<PairScore>& pairs);

/// Fits θ to `pairs`. `start` (optional, size num_models, mean 0) warm-starts bootstrap rounds.
BtFit fit_bradley_terry(size_t num_models, const std::vector<PairScore>& pairs,
                        const BtOptions& options = {}, const std::vector<double>* start = nullptr);

/// How θ becomes ratings: scale·θ + init_rating, then shifted so that model `anchor_model`
/// (an index, or -1 for none) has `anchor_rating`, as FastChat's scale_and_offset.
struct RatingScale {
  double scale = 400.0;
  double init_rating = 1000.0;
  int32_t anchor_model = -1;
  double anchor_rating = 0.0;
};

std::vector<double> to_ratings(const std::vector<double>& theta, const RatingScale& scale);

/// Only the anchor shift of `scale` (online Elo ratings are already in rating points).
void apply_anchor(std::vector<double>& ratings, const RatingScale& scale);

}  // namespace fastchat::rating
