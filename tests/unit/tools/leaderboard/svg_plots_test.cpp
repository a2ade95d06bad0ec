#include "tools/leaderboard/svg_plots.h"

#include <gtest/gtest.h>

namespace fastchat::leaderboard {
namespace {

TEST(SvgPlots, EscapeNamesAndLeaveBlankCellsForPairsThatNeverMet) {
  rating::BattleSet battles;
  const int32_t a = battles.intern("a<b>&\"c\"");
  const int32_t b = battles.intern("plain");
  const int32_t c = battles.intern("loner");
  battles.battles().push_back({a, b, rating::Winner::ModelA, true});
  battles.battles().push_back({b, c, rating::Winner::Tie, true});  // not drawn: ties left out
  rating::LeaderboardOptions options;
  options.bootstrap.rounds = 0;
  const auto board = rating::compute_leaderboard(battles, options);
  const auto ratings = ratings_svg(board);
  EXPECT_NE(ratings.find("a&lt;b&gt;&amp;&quot;c&quot;"), std::string::npos);
  EXPECT_EQ(ratings.find("a<b>"), std::string::npos);
  const auto wins = win_fraction_svg(board, battles);
  // 3 models: 6 off-diagonal cells, of which only a-plain and plain-a had a decisive battle.
  size_t cells = 0;
  for (size_t at = wins.find("<rect x="); at != std::string::npos;
       at = wins.find("<rect x=", at + 1)) {
    ++cells;
  }
  EXPECT_EQ(cells, 2u);
  EXPECT_NE(battle_count_svg(board, battles).find(">1</text>"), std::string::npos);
}

}  // namespace
}  // namespace fastchat::leaderboard
