#include "rating/leaderboard.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "common/error/error.h"
#include "rating/outcome_table.h"
#include "rating/style_control.h"

namespace fastchat::rating {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// Says which models make the maximum-likelihood ratings not exist, in the cases a person can
// act on: a model that never lost or never won.
std::string disconnected_warning(const BattleSet& battles, const PairwiseStats& stats,
                                 double lambda) {
  std::vector<std::string> never_lost, never_won;
  std::vector<double> score(battles.num_models(), 0.0);
  for (const Battle& b : battles.battles()) {
    score[b.model_a] += score_a(b.winner);
    score[b.model_b] += 1.0 - score_a(b.winner);
  }
  for (size_t m = 0; m < battles.num_models(); ++m) {
    const auto played = static_cast<double>(stats.model_battles[m]);
    if (score[m] == played) never_lost.push_back(battles.models()[m]);
    if (score[m] == 0.0) never_won.push_back(battles.models()[m]);
  }
  std::string text =
      "Bradley-Terry: the comparison graph is not strongly connected, so maximum likelihood has "
      "no finite solution";
  if (!never_lost.empty()) text += "; never lost: " + join(never_lost);
  if (!never_won.empty()) text += "; never won: " + join(never_won);
  return text + ". A weak L2 prior (lambda " + std::to_string(lambda) +
         ") keeps every rating finite; the ratings of these models are lower (or upper) bounds "
         "rather than estimates";
}

void add_battle_warnings(const BattleSet& battles, const PairwiseStats& stats,
                         std::vector<std::string>& warnings) {
  std::vector<std::string> single;
  for (size_t m = 0; m < battles.num_models(); ++m) {
    if (stats.model_battles[m] == 1) single.push_back(battles.models()[m]);
  }
  if (!single.empty()) {
    warnings.push_back("only one battle for: " + join(single) +
                       "; their ratings and intervals say little");
  }
}

RatingScale resolve_scale(const BattleSet& battles, const LeaderboardOptions& options) {
  RatingScale scale = options.scale;
  if (!options.anchor_model.empty()) {
    scale.anchor_model = battles.find(options.anchor_model);
    scale.anchor_rating = options.anchor_rating;
    if (scale.anchor_model < 0) {
      throw_error(ErrorCode::InvalidConfig,
                  "anchor model '" + options.anchor_model + "' has no battles", "anchor");
    }
  }
  if (options.style_control && options.system != RatingSystem::BradleyTerry) {
    throw_error(ErrorCode::InvalidConfig, "style control needs the bt rating system",
                "style_control");
  }
  return scale;
}

// The Bradley–Terry fit on all battles into `ratings`, and its bootstrap.
BootstrapSamples rate_bradley_terry(const BattleSet& battles, const LeaderboardOptions& options,
                                    const RatingScale& scale, Leaderboard& board,
                                    std::vector<double>& ratings) {
  auto start = std::chrono::steady_clock::now();
  const OutcomeTable table(battles);
  board.fit = fit_bradley_terry(table.num_models(), table.pair_scores(table.counts()), options.bt);
  ratings = to_ratings(board.fit.theta, scale);
  board.timings.bradley_terry_s = seconds_since(start);
  if (board.fit.regularized) {
    board.warnings.push_back(disconnected_warning(battles, board.pairwise, options.bt.fallback_l2));
  }
  if (!board.fit.converged) {
    board.warnings.push_back("Bradley-Terry did not converge in " +
                             std::to_string(board.fit.iterations) + " Newton steps");
  }
  start = std::chrono::steady_clock::now();
  auto samples = bootstrap_bradley_terry(table, board.fit, options.bt, scale, options.bootstrap);
  board.timings.bootstrap_s = seconds_since(start);
  if (samples.regularized_rounds > 0 && !board.fit.regularized) {
    board.warnings.push_back(std::to_string(samples.regularized_rounds) + " of " +
                             std::to_string(samples.rounds) +
                             " bootstrap rounds left a model without a win or a loss and "
                             "needed the weak prior; the intervals of rare models are wide");
  }
  return samples;
}

// The contextual fit (ratings net of reply style) into `ratings`, and its bootstrap. The L2
// penalty keeps every rating finite, so no connectivity fallback is needed.
BootstrapSamples rate_with_style_control(const BattleSet& battles,
                                         const LeaderboardOptions& options,
                                         const RatingScale& scale, Leaderboard& board,
                                         std::vector<double>& ratings) {
  auto start = std::chrono::steady_clock::now();
  const StyleData data = style_data(battles);
  board.style_fit = fit_style_control(data, options.style);
  ratings = to_ratings(board.style_fit.theta, scale);
  board.timings.bradley_terry_s = seconds_since(start);
  if (!board.style_fit.converged) {
    board.warnings.push_back("style control did not converge in " +
                             std::to_string(board.style_fit.iterations) + " Newton steps");
  }
  start = std::chrono::steady_clock::now();
  auto samples =
      bootstrap_style_control(data, board.style_fit, options.style, scale, options.bootstrap);
  board.timings.bootstrap_s = seconds_since(start);
  return samples;
}

// Intervals, ranks and the rows in rating order.
void fill_rows(const BattleSet& battles, const std::vector<double>& ratings,
               const BootstrapSamples& samples, Leaderboard& board) {
  const size_t n = battles.num_models();
  std::vector<double> lower(ratings), upper(ratings);
  if (samples.rounds > 0) {
    for (size_t m = 0; m < n; ++m) {
      lower[m] = rating_quantile(samples, m, 0.025);
      upper[m] = rating_quantile(samples, m, 0.975);
    }
  }
  const auto ranks = interval_ranks(lower, upper);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return ratings[x] > ratings[y]; });
  for (size_t m : order) {
    board.rows.push_back({battles.models()[m], ratings[m], lower[m], upper[m], ranks[m],
                          board.pairwise.model_battles[m], board.pairwise.average_win_rate[m]});
  }
}

}  // namespace

const char* rating_system_name(RatingSystem system) {
  return system == RatingSystem::Elo ? "elo" : "bt";
}

std::vector<int> interval_ranks(const std::vector<double>& lower,
                                const std::vector<double>& upper) {
  std::vector<int> ranks(lower.size(), 1);
  for (size_t i = 0; i < lower.size(); ++i) {
    for (size_t j = 0; j < lower.size(); ++j) {
      if (lower[j] > upper[i]) ++ranks[i];
    }
  }
  return ranks;
}

Leaderboard compute_leaderboard(const BattleSet& battles, const LeaderboardOptions& options) {
  Leaderboard board;
  board.system = options.system;
  board.style_control = options.style_control;
  const RatingScale scale = resolve_scale(battles, options);
  auto start = std::chrono::steady_clock::now();
  board.pairwise = pairwise_stats(battles);
  board.timings.pairwise_s = seconds_since(start);
  add_battle_warnings(battles, board.pairwise, board.warnings);

  start = std::chrono::steady_clock::now();
  board.online_elo = online_elo(battles, options.elo);
  apply_anchor(board.online_elo, scale);
  board.timings.online_elo_s = seconds_since(start);

  std::vector<double> ratings = board.online_elo;
  BootstrapSamples samples;
  if (options.style_control) {
    samples = rate_with_style_control(battles, options, scale, board, ratings);
  } else if (options.system == RatingSystem::BradleyTerry) {
    samples = rate_bradley_terry(battles, options, scale, board, ratings);
  } else {
    start = std::chrono::steady_clock::now();
    samples = bootstrap_online_elo(battles, options.elo, scale, options.bootstrap);
    board.timings.bootstrap_s = seconds_since(start);
  }
  fill_rows(battles, ratings, samples, board);
  return board;
}

}  // namespace fastchat::rating
