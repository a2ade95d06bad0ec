#include "controller/dispatch/shortest_queue_policy.h"

namespace fastchat::controller {

std::optional<size_t> ShortestQueuePolicy::pick(std::span<const Candidate> candidates) {
  std::optional<size_t> best;
  double best_load = 0.0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].speed <= 0.0) continue;  // cannot serve; registration forbids it anyway
    const double load = static_cast<double>(candidates[i].queue_length) / candidates[i].speed;
    // Strictly lower only: equal loads keep the earlier registration, as FastChat's argmin.
    if (!best || load < best_load) {
      best = i;
      best_load = load;
    }
  }
  return best;
}

}  // namespace fastchat::controller
