#pragma once
// The leaderboard as pictures (SVG, no dependencies): ratings with their 95% intervals, and the
// win-fraction and battle-count heat maps, models in leaderboard order. Self-contained files
// for the README, the docs and a web page.

#include <filesystem>
#include <string>

#include "rating/leaderboard.h"

namespace fastchat::leaderboard {

/// Dots at each model's rating with bars from lower to upper, best model first.
std::string ratings_svg(const rating::Leaderboard& board);

/// Cell (row, column): how often row beat column in their decisive battles (FastChat draws its
/// heat maps without ties); blank where they had none.
std::string win_fraction_svg(const rating::Leaderboard& board, const rating::BattleSet& battles);

/// Cell (row, column): decisive battles between the two models.
std::string battle_count_svg(const rating::Leaderboard& board, const rating::BattleSet& battles);

/// Writes ratings.svg, win_fraction.svg and battle_count.svg into `dir` (created if needed).
/// Throws ErrorException{InvalidConfig} when a file cannot be written.
void write_plots(const rating::Leaderboard& board, const rating::BattleSet& battles,
                 const std::filesystem::path& dir);

}  // namespace fastchat::leaderboard
