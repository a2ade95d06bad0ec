#include "rating/outcome_table.h"

#include <algorithm>

namespace fastchat::rating {
namespace {

// Key of a canonical triple; sorting keys sorts by (a, b, outcome).
inline uint64_t cell_key(const Battle& battle) {
  int32_t a = battle.model_a;
  int32_t b = battle.model_b;
  uint64_t outcome = battle.winner == Winner::ModelA ? 2 : battle.winner == Winner::ModelB ? 0 : 1;
  if (a > b) {
    std::swap(a, b);
    outcome = 2 - outcome;
  }
  return (static_cast<uint64_t>(a) << 34) | (static_cast<uint64_t>(b) << 2) | outcome;
}

}  // namespace

OutcomeTable::OutcomeTable(const BattleSet& battles) : num_models_(battles.num_models()) {
  const auto& all = battles.battles();
  total_ = static_cast<int64_t>(all.size());
  // Counting by key: a dense table while it stays small (the common case, a few hundred
  // models), a sort of the keys beyond.
  std::vector<std::pair<uint64_t, int64_t>> runs;
  const uint64_t n = num_models_;
  if (n * n * 3 <= (uint64_t{1} << 24)) {
    std::vector<int64_t> dense(n * n * 3, 0);
    for (const Battle& battle : all) {
      const uint64_t key = cell_key(battle);
      ++dense[((key >> 34) * n + ((key >> 2) & 0xffffffffu)) * 3 + (key & 3)];
    }
    for (uint64_t i = 0; i < dense.size(); ++i) {
      if (dense[i] == 0) continue;
      const uint64_t a = i / 3 / n, b = i / 3 % n, o = i % 3;
      runs.emplace_back((a << 34) | (b << 2) | o, dense[i]);
    }
  } else {
    std::vector<uint64_t> keys;
    keys.reserve(all.size());
    for (const Battle& battle : all) keys.push_back(cell_key(battle));
    std::sort(keys.begin(), keys.end());
    for (uint64_t key : keys) {
      if (runs.empty() || runs.back().first != key) runs.emplace_back(key, 0);
      ++runs.back().second;
    }
  }
  for (const auto& [key, count] : runs) {
    cells_.push_back({static_cast<int32_t>(key >> 34),
                      static_cast<int32_t>((key >> 2) & 0xffffffffu),
                      static_cast<Outcome>(key & 3)});
    counts_.push_back(count);
  }
}

std::vector<PairScore> OutcomeTable::pair_scores(const std::vector<int64_t>& counts) const {
  std::vector<PairScore> pairs;
  for (size_t i = 0; i < cells_.size(); ++i) {
    if (counts[i] == 0) continue;
    const OutcomeCell& cell = cells_[i];
    if (pairs.empty() || pairs.back().a != cell.a || pairs.back().b != cell.b) {
      pairs.push_back({cell.a, cell.b, 0.0, 0.0});
    }
    const auto count = static_cast<double>(counts[i]);
    pairs.back().total += count;
    pairs.back().score += count * 0.5 * static_cast<double>(cell.outcome);
  }
  return pairs;
}

}  // namespace fastchat::rating
