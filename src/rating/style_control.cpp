#include "rating/style_control.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

#include <Eigen/Dense>

#include "common/error/error.h"

namespace fastchat::rating {
namespace {

constexpr size_t kF = StyleCounts::kFeatures;

inline double sigmoid(double x) {
  return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}

inline double log_sigmoid(double x) {
  return x >= 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x));
}

// The battle's log-odds that model a wins under parameters p = (θ, β).
inline double logit(const StyleData& d, size_t i, const Eigen::VectorXd& p, double alpha) {
  double x = alpha * (p[d.model_a[i]] - p[d.model_b[i]]);
  for (size_t f = 0; f < kF; ++f) x += d.features[i][f] * p[d.num_models + f];
  return x;
}

inline double weight(const std::vector<double>* weights, size_t i) {
  return weights == nullptr ? 1.0 : (*weights)[i];
}

double loss(const StyleData& d, const Eigen::VectorXd& p, double alpha, double reg,
            const std::vector<double>* weights) {
  double total = 0.5 * reg * p.squaredNorm();
  for (size_t i = 0; i < d.outcome.size(); ++i) {
    const double w = weight(weights, i);
    if (w == 0) continue;
    const double x = logit(d, i, p, alpha);
    total -= w * (d.outcome[i] * log_sigmoid(x) + (1 - d.outcome[i]) * log_sigmoid(-x));
  }
  return total;
}

// Gradient and Hessian of loss(); only the upper triangle of `h` is filled (LDLT reads it).
void gradient_hessian(const StyleData& d, const Eigen::VectorXd& p, double alpha, double reg,
                      const std::vector<double>* weights, Eigen::VectorXd& g, Eigen::MatrixXd& h) {
  const auto n = static_cast<Eigen::Index>(d.num_models);
  g = reg * p;
  h = reg * Eigen::MatrixXd::Identity(p.size(), p.size());
  for (size_t i = 0; i < d.outcome.size(); ++i) {
    const double w = weight(weights, i);
    if (w == 0) continue;
    const double prob = sigmoid(logit(d, i, p, alpha));
    const double r = w * (prob - d.outcome[i]);
    const double c = w * prob * (1 - prob);
    const Eigen::Index a = d.model_a[i], b = d.model_b[i];
    const auto& x = d.features[i];
    g[a] += alpha * r;
    g[b] -= alpha * r;
    h(a, a) += alpha * alpha * c;
    h(b, b) += alpha * alpha * c;
    h(std::min(a, b), std::max(a, b)) -= alpha * alpha * c;
    for (size_t f = 0; f < kF; ++f) {
      g[n + f] += r * x[f];
      h(a, n + f) += alpha * c * x[f];
      h(b, n + f) -= alpha * c * x[f];
      for (size_t e = f; e < kF; ++e) h(n + f, n + e) += c * x[f] * x[e];
    }
  }
}

// FastChat's normalisation: (a − b) / (a + b + 1) per feature, then z-scored over the battles.
// A feature that never varies (no bold anywhere) would divide by a zero deviation in FastChat
// and give NaN; here it stays 0, so its coefficient is 0.
void normalise(std::vector<StyleCoefficients>& features) {
  for (size_t f = 0; f < kF; ++f) {
    double mean = 0, square = 0;
    for (const auto& x : features) mean += x[f];
    mean /= static_cast<double>(features.size());
    for (const auto& x : features) square += (x[f] - mean) * (x[f] - mean);
    const double sd = std::sqrt(square / static_cast<double>(features.size()));
    for (auto& x : features) x[f] = sd > 0 ? (x[f] - mean) / sd : 0.0;
  }
}

}  // namespace

StyleData style_data(const BattleSet& battles) {
  StyleData data;
  data.num_models = battles.num_models();
  size_t missing = 0;
  for (const Battle& battle : battles.battles()) {
    if (battle.style < 0) {
      ++missing;
      continue;
    }
    const StyleCounts& s = battles.styles()[battle.style];
    StyleCoefficients x{};
    for (size_t f = 0; f < kF; ++f) x[f] = (s.a[f] - s.b[f]) / (s.a[f] + s.b[f] + 1.0);
    data.model_a.push_back(battle.model_a);
    data.model_b.push_back(battle.model_b);
    data.outcome.push_back(score_a(battle.winner));
    data.features.push_back(x);
  }
  if (missing > 0) {
    throw_error(ErrorCode::InvalidRequest,
                "style control needs 'conv_metadata' on every battle; " + std::to_string(missing) +
                    " of " + std::to_string(battles.battles().size()) + " battles have none",
                "conv_metadata");
  }
  if (!data.features.empty()) normalise(data.features);
  return data;
}

StyleFit fit_style_control(const StyleData& data, const StyleOptions& options,
                           const std::vector<double>* weights, const StyleFit* start) {
  const auto n = static_cast<Eigen::Index>(data.num_models);
  Eigen::VectorXd p = Eigen::VectorXd::Zero(n + kF);
  if (start != nullptr) {
    for (Eigen::Index m = 0; m < n; ++m) p[m] = start->theta[m];
    for (size_t f = 0; f < kF; ++f) p[n + f] = start->coefficients[f];
  }
  const double alpha = std::log(options.base);
  const double stop =
      options.tolerance * std::max<double>(1.0, static_cast<double>(data.outcome.size()));
  StyleFit fit;
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  for (fit.iterations = 0; fit.iterations < options.max_iterations; ++fit.iterations) {
    gradient_hessian(data, p, alpha, options.reg, weights, g, h);
    fit.max_gradient = g.lpNorm<Eigen::Infinity>();
    if (fit.max_gradient <= stop) {
      fit.converged = true;
      break;
    }
    const Eigen::VectorXd step = h.selfadjointView<Eigen::Upper>().ldlt().solve(-g);
    // Backtracking as in bradley_terry.cpp; each loss evaluation is a pass over the battles.
    double t = 1.0;
    if (step.lpNorm<Eigen::Infinity>() > 0.1) {
      const double current = loss(data, p, alpha, options.reg, weights);
      while (t > 1e-10 && loss(data, p + t * step, alpha, options.reg, weights) >
                              current + 1e-4 * t * g.dot(step)) {
        t *= 0.5;
      }
    }
    p += t * step;
  }
  fit.theta.assign(p.data(), p.data() + n);
  for (size_t f = 0; f < kF; ++f) fit.coefficients[f] = p[n + f];
  return fit;
}

BootstrapSamples bootstrap_style_control(const StyleData& data, const StyleFit& start,
                                         const StyleOptions& style, const RatingScale& scale,
                                         const BootstrapOptions& options) {
  BootstrapSamples samples;
  samples.rounds = std::max(0, options.rounds);
  samples.num_models = data.num_models;
  samples.ratings.assign(samples.rounds * data.num_models, 0.0);
  const size_t battles = data.outcome.size();
  std::atomic<int> unconverged{0};
  for_each_round(options, [&](int round) {
    auto rng = round_rng(options.seed, round);
    // Drawing battles with replacement is the same as weighting each by how often it was drawn.
    std::vector<double> weights(battles, 0.0);
    if (battles > 0) {
      std::uniform_int_distribution<size_t> pick(0, battles - 1);
      for (size_t i = 0; i < battles; ++i) weights[pick(rng)] += 1.0;
    }
    const StyleFit fit = fit_style_control(data, style, &weights, &start);
    unconverged += !fit.converged;
    const auto ratings = to_ratings(fit.theta, scale);
    std::copy(ratings.begin(), ratings.end(), samples.ratings.begin() + round * ratings.size());
  });
  samples.unconverged_rounds = unconverged;
  return samples;
}

}  // namespace fastchat::rating
