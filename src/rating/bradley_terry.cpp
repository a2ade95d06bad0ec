#include "rating/bradley_terry.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

namespace fastchat::rating {
namespace {

// log(sigmoid(x)) without overflow or log(0) for large |x|.
inline double log_sigmoid(double x) {
  return x >= 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x));
}

inline double sigmoid(double x) {
  return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}

// Negative log-likelihood (plus the prior when λ > 0).
double loss(const Eigen::VectorXd& theta, const std::vector<PairScore>& pairs, double alpha,
            double lambda) {
  double total = 0.5 * lambda * theta.squaredNorm();
  for (const PairScore& p : pairs) {
    const double x = alpha * (theta[p.a] - theta[p.b]);
    total -= p.score * log_sigmoid(x) + (p.total - p.score) * log_sigmoid(-x);
  }
  return total;
}

// Gradient and Hessian of loss(); the Hessian gets J/n added (J = all ones) so that it is
// invertible along the common shift that the likelihood ignores. The gradient sums to zero, so
// the Newton step keeps the mean of θ where it is (0).
void gradient_hessian(const Eigen::VectorXd& theta, const std::vector<PairScore>& pairs,
                      double alpha, double lambda, Eigen::VectorXd& g, Eigen::MatrixXd& h) {
  const auto n = theta.size();
  g = lambda * theta;
  h.setConstant(n, n, 1.0 / static_cast<double>(n));
  h.diagonal().array() += lambda;
  for (const PairScore& p : pairs) {
    const double prob = sigmoid(alpha * (theta[p.a] - theta[p.b]));
    const double d = alpha * (p.total * prob - p.score);
    const double c = alpha * alpha * p.total * prob * (1.0 - prob);
    g[p.a] += d;
    g[p.b] -= d;
    h(p.a, p.a) += c;
    h(p.b, p.b) += c;
    h(p.a, p.b) -= c;
    h(p.b, p.a) -= c;
  }
}

// The fraction of the Newton step to take. Steps under kTrustedStep (40 rating points) are
// taken whole: near the optimum, where bootstrap rounds start, Newton converges quadratically
// and the loss evaluations (a log1p per pair) would only cost time. Longer steps, which can
// overshoot (e.g. a model that never lost, under the fallback prior), backtrack until the loss
// falls enough (Armijo).
double damped(const Eigen::VectorXd& theta, const Eigen::VectorXd& step, const Eigen::VectorXd& g,
              const std::vector<PairScore>& pairs, double alpha, double lambda) {
  constexpr double kTrustedStep = 0.1;
  if (step.lpNorm<Eigen::Infinity>() <= kTrustedStep) return 1.0;
  const double current = loss(theta, pairs, alpha, lambda);
  const double slope = g.dot(step);
  double t = 1.0;
  while (t > 1e-10 && loss(theta + t * step, pairs, alpha, lambda) > current + 1e-4 * t * slope) {
    t *= 0.5;
  }
  return t;
}

}  // namespace

bool strongly_connected(size_t num_models, const std::vector<PairScore>& pairs) {
  if (num_models <= 1) return true;
  // Edge i -> j when i scored against j. Strongly connected iff model 0 reaches every model
  // along edges and against them.
  std::vector<std::vector<int32_t>> forward(num_models), backward(num_models);
  for (const PairScore& p : pairs) {
    if (p.score > 0) forward[p.a].push_back(p.b), backward[p.b].push_back(p.a);
    if (p.total - p.score > 0) forward[p.b].push_back(p.a), backward[p.a].push_back(p.b);
  }
  for (const auto* edges : {&forward, &backward}) {
    std::vector<char> seen(num_models, 0);
    std::vector<int32_t> stack{0};
    seen[0] = 1;
    size_t reached = 1;
    while (!stack.empty()) {
      const int32_t node = stack.back();
      stack.pop_back();
      for (int32_t next : (*edges)[node]) {
        if (!seen[next]) seen[next] = 1, ++reached, stack.push_back(next);
      }
    }
    if (reached != num_models) return false;
  }
  return true;
}

BtFit fit_bradley_terry(size_t num_models, const std::vector<PairScore>& pairs,
                        const BtOptions& options, const std::vector<double>* start) {
  BtFit fit;
  const auto n = static_cast<Eigen::Index>(num_models);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(n);
  if (start != nullptr) theta = Eigen::Map<const Eigen::VectorXd>(start->data(), n);
  const double alpha = std::log(options.base);
  fit.regularized = !strongly_connected(num_models, pairs);
  const double lambda = fit.regularized ? options.fallback_l2 : 0.0;
  double battles = 0;
  for (const PairScore& p : pairs) battles += p.total;
  const double stop = options.tolerance * std::max(1.0, battles);

  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  for (fit.iterations = 0; fit.iterations < options.max_iterations; ++fit.iterations) {
    gradient_hessian(theta, pairs, alpha, lambda, g, h);
    fit.max_gradient = g.lpNorm<Eigen::Infinity>();
    if (fit.max_gradient <= stop) {
      fit.converged = true;
      break;
    }
    const Eigen::VectorXd step = h.ldlt().solve(-g);
    theta += damped(theta, step, g, pairs, alpha, lambda) * step;
  }
  theta.array() -= theta.mean();  // rounding drift only; exact mean 0 as FastChat's reports
  fit.theta.assign(theta.data(), theta.data() + n);
  return fit;
}

std::vector<double> to_ratings(const std::vector<double>& theta, const RatingScale& scale) {
  std::vector<double> ratings(theta.size());
  for (size_t i = 0; i < theta.size(); ++i) ratings[i] = scale.scale * theta[i] + scale.init_rating;
  apply_anchor(ratings, scale);
  return ratings;
}

void apply_anchor(std::vector<double>& ratings, const RatingScale& scale) {
  if (scale.anchor_model < 0 || static_cast<size_t>(scale.anchor_model) >= ratings.size()) return;
  const double shift = scale.anchor_rating - ratings[scale.anchor_model];
  for (double& r : ratings) r += shift;
}

}  // namespace fastchat::rating
