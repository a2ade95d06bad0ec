#include "controller/dispatch/lottery_policy.h"

namespace fastchat::controller {

LotteryPolicy::LotteryPolicy() : rng_(std::random_device{}()) {}

std::optional<size_t> LotteryPolicy::pick(std::span<const Candidate> candidates) {
  double total = 0.0;
  for (const auto& c : candidates) total += c.speed > 0.0 ? c.speed : 0.0;
  // FastChat's threshold: a negligible total speed means nobody can serve.
  if (total < 1e-4) return std::nullopt;
  double ticket = 0.0;
  {
    std::lock_guard lock(mutex_);
    ticket = std::uniform_real_distribution<double>(0.0, total)(rng_);
  }
  std::optional<size_t> last;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].speed <= 0.0) continue;
    last = i;
    if (ticket < candidates[i].speed) return i;
    ticket -= candidates[i].speed;
  }
  return last;  // rounding left the ticket just past the end
}

}  // namespace fastchat::controller
