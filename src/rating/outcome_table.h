#pragma once
// Battles reduced to what Bradley–Terry needs: the unique (model_a, model_b, outcome) triples
// with their counts, as FastChat's preprocess_for_bt builds them. A triple and its mirror
// ((b, a, 1 - outcome)) have the same likelihood, so both are stored once, with the lower model
// index first; bootstrap rounds redraw these counts.

#include <cstdint>
#include <vector>

#include "rating/battle.h"

namespace fastchat::rating {

/// How a cell's battles ended for its first model (the lower index).
enum class Outcome : uint8_t { Loss = 0, Tie = 1, Win = 2 };

/// One unique triple: models `a` < `b` and the outcome for `a`.
struct OutcomeCell {
  int32_t a = 0;
  int32_t b = 0;
  Outcome outcome = Outcome::Tie;
};

/// Sufficient statistics of one pair of models for the likelihood: `score` is a's wins plus half
/// its ties, out of `total` battles.
struct PairScore {
  int32_t a = 0;
  int32_t b = 0;
  double score = 0.0;
  double total = 0.0;
};

/// The unique triples of a battle set with their counts, sorted by (a, b, outcome).
class OutcomeTable {
 public:
  explicit OutcomeTable(const BattleSet& battles);

  size_t num_models() const { return num_models_; }
  const std::vector<OutcomeCell>& cells() const { return cells_; }
  /// Battles per cell (same order as cells()).
  const std::vector<int64_t>& counts() const { return counts_; }
  int64_t total() const { return total_; }

  /// The pair statistics for `counts` (this table's counts, or a bootstrap redraw of them);
  /// pairs whose count is zero are left out.
  std::vector<PairScore> pair_scores(const std::vector<int64_t>& counts) const;

 private:
  size_t num_models_ = 0;
  std::vector<OutcomeCell> cells_;
  std::vector<int64_t> counts_;
  int64_t total_ = 0;
};

}  // namespace fastchat::rating
