#include "tools/leaderboard/leaderboard_report.h"

#include <gtest/gtest.h>

#include "tools/leaderboard/synthetic_battles.h"

namespace fastchat::leaderboard {
namespace {

rating::Leaderboard two_models() {
  rating::Leaderboard board;
  board.rows.push_back({"best, \"really\"", 1100.25, 1090.0, 1110.5, 1, 40, 0.75});
  board.rows.push_back({"other", 900.0, 880.0, 920.0, 2, 40, 0.25});
  board.warnings.push_back("a warning");
  return board;
}

TEST(LeaderboardReport, JsonHasTheDocumentedShape) {
  const auto json = to_json(two_models());
  EXPECT_EQ(json["rating_system"], "bt");
  ASSERT_EQ(json["models"].size(), 2u);
  const auto& first = json["models"][0];
  EXPECT_EQ(first["model"], "best, \"really\"");
  EXPECT_EQ(first["rating"], 1100.25);
  EXPECT_EQ(first["lower"], 1090.0);
  EXPECT_EQ(first["upper"], 1110.5);
  EXPECT_EQ(first["rank"], 1);
  EXPECT_EQ(first["battles"], 40);
  EXPECT_EQ(first["win_rate"], 0.75);
  EXPECT_EQ(json["warnings"][0], "a warning");
}

TEST(LeaderboardReport, CsvQuotesNamesThatNeedIt) {
  const auto csv = to_csv(two_models());
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "model,rating,lower,upper,rank,battles,win_rate");
  EXPECT_NE(csv.find("\n\"best, \"\"really\"\"\",1100.25,1090,1110.5,1,40,0.75\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\nother,900,880,920,2,40,0.25\n"), std::string::npos) << csv;
}

TEST(LeaderboardReport, TableHasOneLinePerModel) {
  const auto table = format_table(two_models());
  EXPECT_NE(table.find("[1090.0, 1110.5]"), std::string::npos) << table;
  EXPECT_NE(table.find("75.0%"), std::string::npos) << table;
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3);
}

TEST(SyntheticBattles, AreSeededAndNeverPairAModelWithItself) {
  SyntheticOptions options;
  options.battles = 5000;
  options.models = 10;
  const auto a = synthetic_battles(options);
  const auto b = synthetic_battles(options);
  ASSERT_EQ(a.battles().size(), 5000u);
  EXPECT_EQ(a.num_models(), 10u);
  for (size_t i = 0; i < a.battles().size(); ++i) {
    EXPECT_NE(a.battles()[i].model_a, a.battles()[i].model_b);
    EXPECT_EQ(a.battles()[i].winner, b.battles()[i].winner);
  }
}

}  // namespace
}  // namespace fastchat::leaderboard
