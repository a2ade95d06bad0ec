#include "rating/multinomial.h"

#include <numeric>

#include <boost/random/binomial_distribution.hpp>

namespace fastchat::rating {

std::vector<int64_t> draw_multinomial(const std::vector<int64_t>& counts, std::mt19937_64& rng) {
  std::vector<int64_t> drawn(counts.size(), 0);
  int64_t left_weight = std::accumulate(counts.begin(), counts.end(), int64_t{0});
  int64_t left_draws = left_weight;
  for (size_t i = 0; i < counts.size() && left_draws > 0; ++i) {
    if (counts[i] == 0) continue;
    // Integer weights keep the conditional probabilities exact, and the last cell with weight
    // takes exactly what is left.
    if (counts[i] >= left_weight) {
      drawn[i] = left_draws;
      break;
    }
    const double p = static_cast<double>(counts[i]) / static_cast<double>(left_weight);
    // Boost's BTRD sampler: about four times faster than libstdc++'s binomial here, and the
    // draws dominate a bootstrap round.
    boost::random::binomial_distribution<int64_t, double> binomial(left_draws, p);
    drawn[i] = binomial(rng);
    left_draws -= drawn[i];
    left_weight -= counts[i];
  }
  return drawn;
}

}  // namespace fastchat::rating
