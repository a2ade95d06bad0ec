#pragma once
// Multinomial redraws of battle counts, the resampling of FastChat's bootstrap
// (np.random.multinomial(n, counts / n)): as many battles as before, spread over the same cells
// in proportion to their counts.

#include <cstdint>
#include <random>
#include <vector>

namespace fastchat::rating {

/// Draws sum(counts) battles over the cells with probabilities counts / sum(counts), by one
/// binomial per cell conditioned on the cells before it (exact, O(cells)).
std::vector<int64_t> draw_multinomial(const std::vector<int64_t>& counts, std::mt19937_64& rng);

}  // namespace fastchat::rating
