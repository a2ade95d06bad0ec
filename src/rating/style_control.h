#pragma once
// Style control, as FastChat's --style-control (rating_systems.py compute_style_control): a
// contextual Bradley–Terry model whose log-odds add β·x to α(θa − θb), where x holds the
// normalised style differences of the two replies (length in tokens, headers, list items, bold
// spans: (a − b) / (a + b + 1), then z-scored over the battles), with an L2 penalty reg/2·|θ,β|²
// on all parameters. The ratings are what remains once reply style is accounted for. Fitted per
// battle (features are continuous, so battles do not aggregate) by Newton's method.

#include <array>
#include <cstdint>
#include <vector>

#include "rating/battle.h"
#include "rating/bootstrap.h"
#include "rating/bradley_terry.h"

namespace fastchat::rating {

struct StyleOptions {
  double base = 10.0;
  double reg = 0.5;  ///< FastChat's L2 weight on θ and β
  int max_iterations = 100;
  double tolerance = 1e-9;  ///< stop when max |gradient| <= tolerance · battles
};

using StyleCoefficients = std::array<double, StyleCounts::kFeatures>;

/// Per battle: the models, the outcome for model a (1, 0.5, 0), the z-scored features.
struct StyleData {
  size_t num_models = 0;
  std::vector<int32_t> model_a;
  std::vector<int32_t> model_b;
  std::vector<double> outcome;
  std::vector<StyleCoefficients> features;
};

/// The features of every battle. Throws ErrorException{InvalidRequest} when a battle has no
/// conv_metadata (saying how many lack it).
StyleData style_data(const BattleSet& battles);

struct StyleFit {
  std::vector<double> theta;         ///< per model, as BtFit::theta
  StyleCoefficients coefficients{};  ///< β: log-odds per standard deviation of each feature
  int iterations = 0;
  double max_gradient = 0.0;
  bool converged = false;
};

/// Fits θ and β. `weights` (optional, one per battle) counts each battle that many times (a
/// bootstrap draw); `start` (optional) warm-starts from an earlier fit.
StyleFit fit_style_control(const StyleData& data, const StyleOptions& options = {},
                           const std::vector<double>* weights = nullptr,
                           const StyleFit* start = nullptr);

/// Bootstrap rounds as FastChat's compute_bootstrap_style_control: each draws as many battles
/// with replacement and refits; seeded per round like the other bootstraps.
BootstrapSamples bootstrap_style_control(const StyleData& data, const StyleFit& start,
                                         const StyleOptions& style, const RatingScale& scale,
                                         const BootstrapOptions& options);

}  // namespace fastchat::rating
