#include "worker/sampling/inverse_cdf.h"

namespace fastchat::sampling {
namespace {

// Shared walk: first i with cumulative > target among positive entries, else the last positive.
int64_t walk(std::span<const double> mass, double& target) {
  double cumulative = 0.0;
  int64_t last_positive = -1;
  double before_last = 0.0;
  for (size_t i = 0; i < mass.size(); ++i) {
    if (!(mass[i] > 0.0)) continue;
    if (cumulative + mass[i] > target) {
      target -= cumulative;
      return static_cast<int64_t>(i);
    }
    last_positive = static_cast<int64_t>(i);
    before_last = cumulative;
    cumulative += mass[i];
  }
  if (last_positive >= 0) target -= before_last;
  return last_positive;
}

}  // namespace

int64_t pick_block(std::span<const double> block_sums, double& target) {
  return walk(block_sums, target);
}

int64_t pick_in_block(std::span<const double> probs, double target) { return walk(probs, target); }

}  // namespace fastchat::sampling
