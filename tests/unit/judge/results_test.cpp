// show-result's formulas against numbers computed by hand from FastChat's show_result.py.

#include <gtest/gtest.h>

#include <cmath>

#include "judge/bar_chart.h"
#include "judge/pairwise_results.h"
#include "judge/result_report.h"
#include "judge/single_results.h"

namespace fastchat::judge {
namespace {

SingleJudgment single(const std::string& model, int turn, double score) {
  SingleJudgment j;
  j.model = model;
  j.turn = turn;
  j.score.value = score;
  return j;
}

PairJudgment pair(const std::string& m1, const std::string& m2, const std::string& g1,
                  const std::string& g2) {
  PairJudgment j;
  j.model_1 = m1;
  j.model_2 = m2;
  j.g1_winner = g1;
  j.g2_winner = g2;
  return j;
}

TEST(SingleResults, MeansPerTurnAndPooledWithMinusOneDropped) {
  SingleResultsBuilder b;
  // a: turn 1 {8, 6, -1}, turn 2 {9}: 7, 9, pooled (8+6+9)/3 = 7.666667 (not (7+9)/2 = 8).
  for (const auto& j : {single("a", 1, 8), single("a", 1, 6), single("a", 1, -1), single("a", 2, 9),
                        single("b", 1, 10), single("b", 2, 2), single("b", 2, 3.5)}) {
    b.add(j);
  }
  const auto r = b.finish();
  ASSERT_EQ(r.first_turn.size(), 2u);
  EXPECT_EQ(r.first_turn[0].model, "b");
  EXPECT_DOUBLE_EQ(r.first_turn[0].score, 10.0);
  EXPECT_DOUBLE_EQ(r.first_turn[1].score, 7.0);
  EXPECT_EQ(r.first_turn[1].count, 2u);
  EXPECT_EQ(r.second_turn[0].model, "a");
  EXPECT_DOUBLE_EQ(r.second_turn[0].score, 9.0);
  EXPECT_DOUBLE_EQ(r.second_turn[1].score, 2.75);
  EXPECT_EQ(r.average[0].model, "a");
  EXPECT_DOUBLE_EQ(r.average[0].score, 23.0 / 3);
  EXPECT_DOUBLE_EQ(r.average[1].score, 15.5 / 3);
  EXPECT_EQ(
      to_markdown(r),
      "## First turn\n\n| model | score |\n|---|---:|\n| b | 10.000000 |\n| a | 7.000000 |\n\n"
      "## Second turn\n\n| model | score |\n|---|---:|\n| a | 9.000000 |\n| b | 2.750000 |\n\n"
      "## Average\n\n| model | score |\n|---|---:|\n| a | 7.666667 |\n| b | 5.166667 |\n\n");
  EXPECT_EQ(to_csv(r),
            "model,turn_1,turn_2,average\na,7.000000,9.000000,7.666667\n"
            "b,10.000000,2.750000,5.166667\n");
}

TEST(SingleResults, ModelListFilters) {
  SingleResultsBuilder b({"b"});
  b.add(single("a", 1, 8));
  b.add(single("b", 1, 4));
  const auto r = b.finish();
  ASSERT_EQ(r.average.size(), 1u);
  EXPECT_EQ(r.average[0].model, "b");
}

TEST(PairwiseResults, WinOnlyWhenBothOrdersAgree) {
  PairwiseResultsBuilder b({}, std::nullopt);
  b.add(pair("a", "b", "model_1", "model_1"));  // a wins
  b.add(pair("a", "b", "model_2", "model_2"));  // b wins
  b.add(pair("a", "b", "model_1", "model_2"));  // orders disagree: tie
  b.add(pair("a", "b", "tie", "tie"));          // tie
  b.add(pair("a", "b", "tie", "model_1"));      // game 1 tie: tie
  b.add(pair("a", "c", "model_1", "model_1"));  // a wins
  b.add(pair("a", "c", "error", "model_1"));    // dropped
  b.add(pair("b", "c", "model_1", "error"));    // dropped
  const auto rows = b.finish();
  ASSERT_EQ(rows.size(), 3u);
  // a: win 2, loss 1, tie 3 of 6: 1/3, 1/6, (2 + 1.5)/6 = 0.583333.
  EXPECT_EQ(rows[0].model, "a");
  EXPECT_EQ(rows[0].win, 2);
  EXPECT_EQ(rows[0].loss, 1);
  EXPECT_EQ(rows[0].tie, 3);
  EXPECT_DOUBLE_EQ(rows[0].win_rate, 2.0 / 6);
  EXPECT_DOUBLE_EQ(rows[0].loss_rate, 1.0 / 6);
  EXPECT_DOUBLE_EQ(rows[0].win_rate_adjusted, 3.5 / 6);
  // b: win 1, loss 1, tie 3 of 5: adjusted 2.5/5 = 0.5.
  EXPECT_EQ(rows[1].model, "b");
  EXPECT_DOUBLE_EQ(rows[1].win_rate_adjusted, 0.5);
  // c: loss 1 of 1.
  EXPECT_EQ(rows[2].model, "c");
  EXPECT_EQ(rows[2].loss, 1);
  EXPECT_DOUBLE_EQ(rows[2].win_rate_adjusted, 0.0);
  EXPECT_EQ(to_markdown({rows[2]}),
            "| model | win | loss | tie | win_rate | loss_rate | win_rate_adjusted |\n"
            "|---|---:|---:|---:|---:|---:|---:|\n"
            "| c | 0 | 1 | 0 | 0.000000 | 1.000000 | 0.000000 |\n");
}

TEST(PairwiseResults, BaselineOnlyAndLeftOut) {
  PairwiseResultsBuilder b({}, std::string("base"));
  b.add(pair("a", "base", "model_1", "model_1"));
  b.add(pair("a", "base", "model_2", "model_1"));
  b.add(pair("a", "b", "model_1", "model_1"));  // no baseline: not counted
  b.add(pair("b", "base", "model_2", "model_2"));
  const auto rows = b.finish();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].model, "a");
  EXPECT_EQ(rows[0].win, 1);
  EXPECT_EQ(rows[0].tie, 1);
  EXPECT_DOUBLE_EQ(rows[0].win_rate_adjusted, 0.75);
  EXPECT_EQ(rows[1].model, "b");
  EXPECT_EQ(rows[1].loss, 1);
}

TEST(PairwiseResults, ModelListFiltersOnModel1Only) {
  PairwiseResultsBuilder b({"a"}, std::nullopt);
  b.add(pair("a", "b", "model_1", "model_1"));
  b.add(pair("b", "a", "model_1", "model_1"));  // model_1 "b" is not listed: dropped
  const auto rows = b.finish();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].win + rows[1].win, 1);
}

TEST(SingleResults, PerCategoryMeans) {
  SingleResultsBuilder b;
  b.set_categories({{"1", "math"}, {"2", "writing"}});
  SingleJudgment j = single("a", 1, 4);
  j.question_id = 1;
  b.add(j);
  j.turn = 2;
  j.score.value = 6;
  b.add(j);
  j.question_id = 2;
  b.add(j);
  j.question_id = 3;  // no category: only in the turn tables
  b.add(j);
  const auto r = b.finish();
  ASSERT_EQ(r.by_category.size(), 2u);
  EXPECT_DOUBLE_EQ(r.by_category.at("math")[0].score, 5.0);
  EXPECT_DOUBLE_EQ(r.by_category.at("writing")[0].score, 6.0);
  EXPECT_EQ(r.average[0].count, 4u);
}

TEST(BarChartSvg, OneBarPerValueTextEscaped) {
  BarChart c;
  c.title = "a<b & c";
  c.groups = {"g1", "g2"};
  c.series = {"m\"1", "m2"};
  c.values = {{5.0, NAN}, {12.0, 0.0}};
  const std::string svg = to_svg(c);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("a&lt;b &amp; c"), std::string::npos);
  EXPECT_NE(svg.find("m&quot;1"), std::string::npos);
  size_t bars = 0;
  for (size_t at = svg.find("<title>"); at != std::string::npos; at = svg.find("<title>", at + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 3u);  // NaN draws no bar
  EXPECT_NE(svg.find("m2, g1: 12.0"), std::string::npos);
}

}  // namespace
}  // namespace fastchat::judge
