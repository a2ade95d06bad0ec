#pragma once
// Synthetic Arena battles for the benchmark and the tests: models with hidden strengths, random
// pairings, votes drawn from the Bradley–Terry model with a share of ties. Seeded, so a run is
// repeatable.

#include <cstdint>

#include "rating/battle.h"

namespace fastchat::leaderboard {

struct SyntheticOptions {
  int64_t battles = 1'000'000;
  int models = 100;
  uint64_t seed = 0;
  double tie_share = 0.2;    ///< fraction of votes that are ties (a quarter of them bothbad)
  double strength_sd = 0.5;  ///< sd of the hidden θ (base-10 log-odds; 200 rating points)
  bool style = false;        ///< give every battle random conv_metadata counts (no effect)
};

/// Battles among models "model-000", "model-001", ... (all anonymous, file order = draw order).
rating::BattleSet synthetic_battles(const SyntheticOptions& options);

}  // namespace fastchat::leaderboard
