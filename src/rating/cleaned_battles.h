#pragma once
// Cleaned battles onward: into a BattleSet for the ratings, or into FastChat's battle records
// (a JSON list that read_battles reads back), so that cleaning and rating can run separately
// as FastChat's clean_battle_data.py and elo_analysis.py do.

#include <string>
#include <vector>

#include "rating/battle.h"
#include "rating/battle_cleaner.h"

namespace fastchat::rating {

/// The battles as the rating code reads them (judge and UTC day kept for the daily vote cap).
BattleSet to_battle_set(const std::vector<CleanBattle>& battles);

/// A JSON list, one record per line: {"question_id", "model_a", "model_b", "winner", "judge",
/// "turn", "anony", "tstamp"} (question_id left out when the log had no conv_id).
std::string battles_to_json(const std::vector<CleanBattle>& battles);

/// The counts of `stats` as text, one reason a line, for the console.
std::string format_clean_stats(const CleanStats& stats);

}  // namespace fastchat::rating
