// compute_agreement.py's arithmetic: votes keyed by question and model pair in name order (a
// reversed pair reverts the winner), ties equal whatever their kind, ties left out on request.

#include "judge/agreement.h"

#include <gtest/gtest.h>

namespace fastchat::judge {
namespace {

Vote vote(int q, const std::string& a, const std::string& b, const std::string& winner,
          const std::string& judge, int turn = 1) {
  return Vote{q, a, b, winner, judge, turn};
}

TEST(Agreement, JudgeNamesAsFastChat) {
  EXPECT_EQ(judge_name(nlohmann::json::array({"gpt-4", "pair-v2"})), "gpt4-pair");
  EXPECT_EQ(judge_name(nlohmann::json::array({"gpt-4", "pair-math-v1-multi-turn"})), "gpt4-pair");
  EXPECT_EQ(judge_name(nlohmann::json::array({"judge-x", "pair-v2"})), "judge-x-pair");
  EXPECT_EQ(judge_name("expert_12"), "human");
  EXPECT_EQ(judge_name("author_3"), "author");
  EXPECT_EQ(judge_name("crowd"), "crowd");
}

TEST(Agreement, WithAndWithoutTiesPerTurn) {
  const std::vector<Vote> votes{
      vote(1, "x", "y", "model_a", "g"),    vote(1, "y", "x", "model_b", "h"),  // agree (reverted)
      vote(2, "x", "y", "model_a", "g"),    vote(2, "x", "y", "tie", "h"),      // disagree; tie
      vote(3, "x", "y", "tie", "g"),        vote(3, "x", "y", "tie (bothbad)", "h"),  // agree; tie
      vote(4, "x", "y", "model_b", "g"),    vote(4, "x", "y", "model_a", "h"),        // disagree
      vote(4, "x", "y", "model_b", "h"),                                              // agree
      vote(5, "x", "y", "model_b", "g", 2), vote(5, "x", "y", "model_b", "h", 2),
      vote(6, "x", "y", "model_a", "h"),  // no vote of g: not compared
  };
  const auto rows = compute_agreement(votes, "g", "h");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].total, 5);
  EXPECT_EQ(rows[0].agree, 3);
  EXPECT_DOUBLE_EQ(*rows[0].ratio(), 0.6);
  EXPECT_FALSE(rows[1].with_tie);
  EXPECT_EQ(rows[1].total, 3);
  EXPECT_EQ(rows[1].agree, 2);
  EXPECT_EQ(rows[2].turn, 2);
  EXPECT_EQ(rows[2].total, 1);
  EXPECT_EQ(rows[2].agree, 1);
  // A judge with itself: its votes on the same question and pair, two by two.
  const auto self = compute_agreement(votes, "h", "h");
  EXPECT_EQ(self[0].total, 1);
  EXPECT_EQ(self[0].agree, 0);
  EXPECT_FALSE(self[3].ratio().has_value());
}

}  // namespace
}  // namespace fastchat::judge
