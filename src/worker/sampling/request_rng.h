#pragma once
// The random state of one sequence. Kept per request rather than per batch so that a seeded
// request draws the same numbers no matter what else shares its batch.

#include <cstdint>
#include <optional>
#include <random>

namespace fastchat::sampling {

/// Per-request random state: one per sequence, owned by the engine, advanced only by that
/// sequence's draws, so the same seed gives the same tokens whatever else is batched. Seeded
/// from params.seed, or from a random device when absent.
class RequestRng {
 public:
  explicit RequestRng(std::optional<uint64_t> seed);

  /// Uniform double in [0, 1), from the top 53 bits of one engine draw (portable, unlike
  /// std::uniform_real_distribution whose algorithm is implementation-defined).
  double next_uniform();

 private:
  std::mt19937_64 engine_;
};

}  // namespace fastchat::sampling
