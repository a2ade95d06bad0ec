#pragma once
// Inverse-CDF draw over probabilities split into fixed-size blocks. The device reduces each
// block to a sum; only those sums and the one chosen block cross to the host, where the walk is
// done in float64 in token-id order, so the result does not depend on batch shape or on the
// order in which a device kernel happens to visit tokens.

#include <cstdint>
#include <span>

namespace fastchat::sampling {

/// Block size of the two-level draw: vocab / kCdfBlock sums plus one block per row go to host.
inline constexpr int64_t kCdfBlock = 1024;

/// Index of the first block whose cumulative mass exceeds `target`; `target` is reduced by the
/// mass of the blocks before it. Falls back to the last block with mass (rounding can push
/// `target` past the total). Returns -1 when every block is empty.
int64_t pick_block(std::span<const double> block_sums, double& target);

/// Index in `probs` of the first entry whose cumulative mass exceeds `target`, never an entry
/// with zero mass. Falls back to the last entry with mass; -1 when all are zero.
int64_t pick_in_block(std::span<const double> probs, double target);

}  // namespace fastchat::sampling
