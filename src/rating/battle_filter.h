#pragma once
// Which battles a leaderboard counts, as FastChat's report_elo_analysis_results selects them:
// anonymous battles only unless asked otherwise, optionally only some languages, without ties,
// without some models, and at most so many votes per judge and day.

#include <string>
#include <vector>

#include "rating/battle.h"

namespace fastchat::rating {

struct BattleFilter {
  bool include_non_anony = false;           ///< keep battles whose models were named to the voter
  bool exclude_ties = false;                ///< drop "tie" and "tie (bothbad)"
  std::vector<std::string> exclude_models;  ///< drop every battle of these models
  std::vector<std::string> languages;       ///< keep only these languages (empty: all)
  /// Keep only each judge's first N votes of a UTC day (0: no cap), counted after the filters
  /// above, as FastChat's --daily-vote-per-user (which counts days in the machine's time zone).
  /// Battles without `judge` or `tstamp` are not capped.
  int daily_vote_cap = 0;
};

/// The battles of `battles` that `filter` keeps, in the same order, with a model table holding
/// only the models that remain (in order of first appearance among the kept battles).
BattleSet filter_battles(const BattleSet& battles, const BattleFilter& filter);

}  // namespace fastchat::rating
