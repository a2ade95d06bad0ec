#include "rating/bootstrap.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "rating/multinomial.h"

namespace fastchat::rating {
namespace {

BootstrapSamples empty_samples(int rounds, size_t num_models) {
  BootstrapSamples samples;
  samples.rounds = std::max(0, rounds);
  samples.num_models = num_models;
  samples.ratings.assign(samples.rounds * num_models, 0.0);
  return samples;
}

}  // namespace

// Rounds are handed out one at a time so that uneven rounds (a slow fit) leave no thread idle.
void for_each_round(const BootstrapOptions& options, const std::function<void(int)>& body) {
  const int rounds = std::max(0, options.rounds);
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min(threads, rounds);
  std::atomic<int> next{0};
  std::mutex progress;
  int done = 0;
  auto worker = [&] {
    for (int r = next++; r < rounds; r = next++) {
      body(r);
      if (options.on_round_done) {
        std::lock_guard<std::mutex> lock(progress);
        options.on_round_done(++done, rounds);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
}

std::mt19937_64 round_rng(uint64_t seed, int round) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                    static_cast<uint32_t>(round)};
  return std::mt19937_64(seq);
}

BootstrapSamples bootstrap_bradley_terry(const OutcomeTable& table, const BtFit& start,
                                         const BtOptions& bt, const RatingScale& scale,
                                         const BootstrapOptions& options) {
  BootstrapSamples samples = empty_samples(options.rounds, table.num_models());
  std::atomic<int> regularized{0}, unconverged{0};
  for_each_round(options, [&](int round) {
    auto rng = round_rng(options.seed, round);
    const auto counts = draw_multinomial(table.counts(), rng);
    const BtFit fit =
        fit_bradley_terry(table.num_models(), table.pair_scores(counts), bt, &start.theta);
    regularized += fit.regularized;
    unconverged += !fit.converged;
    const auto ratings = to_ratings(fit.theta, scale);
    std::copy(ratings.begin(), ratings.end(), samples.ratings.begin() + round * ratings.size());
  });
  samples.regularized_rounds = regularized;
  samples.unconverged_rounds = unconverged;
  return samples;
}

BootstrapSamples bootstrap_online_elo(const BattleSet& battles, const EloOptions& elo,
                                      const RatingScale& scale, const BootstrapOptions& options) {
  BootstrapSamples samples = empty_samples(options.rounds, battles.num_models());
  const auto n = static_cast<uint32_t>(battles.battles().size());
  for_each_round(options, [&](int round) {
    auto rng = round_rng(options.seed, round);
    std::vector<uint32_t> order(n);
    if (n > 0) {
      std::uniform_int_distribution<uint32_t> pick(0, n - 1);
      for (auto& index : order) index = pick(rng);
    }
    auto ratings = online_elo(battles, order, elo);
    apply_anchor(ratings, scale);
    std::copy(ratings.begin(), ratings.end(), samples.ratings.begin() + round * ratings.size());
  });
  return samples;
}

double rating_quantile(const BootstrapSamples& samples, size_t model, double q) {
  if (samples.rounds == 0) return std::nan("");
  std::vector<double> values(samples.rounds);
  for (int r = 0; r < samples.rounds; ++r) values[r] = samples.at(r, model);
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

}  // namespace fastchat::rating
