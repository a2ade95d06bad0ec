#pragma once
// Online Elo as FastChat's compute_elo (rating_systems.py): one sequential pass over the battles
// in the order given, each vote moving both ratings by K times the surprise. The result depends
// on the order, which is why the leaderboard's default is Bradley–Terry.

#include <vector>

#include "rating/battle.h"

namespace fastchat::rating {

struct EloOptions {
  double k = 4.0;        ///< step per battle
  double base = 10.0;    ///< odds base: P(a wins) = 1 / (1 + base^((r_b - r_a) / scale))
  double scale = 400.0;  ///< rating points per factor `base` of odds
  double init_rating = 1000.0;
};

/// One rating per model of `battles` (indexed like battles.models()), battles taken in order.
std::vector<double> online_elo(const BattleSet& battles, const EloOptions& options = {});

/// online_elo over the battles at `order` (indices into battles.battles()), for bootstrap rounds
/// that resample the battles.
std::vector<double> online_elo(const BattleSet& battles, const std::vector<uint32_t>& order,
                               const EloOptions& options = {});

}  // namespace fastchat::rating
