// Match making in FastChat's order, its data checks, and the prompts a match renders.

#include <gtest/gtest.h>

#include "common/error/error.h"
#include "judge/match.h"
#include "judge/match_judge.h"

namespace fastchat::judge {
namespace {

ModelAnswer answer(int qid, const std::string& model, std::vector<std::string> turns) {
  ModelAnswer a;
  a.question_id = qid;
  a.model_id = model;
  a.choices = {std::move(turns)};
  return a;
}

MatchInputs inputs() {
  MatchInputs in;
  in.questions = {Question{1, "writing", {"W1", "W2"}, {}, {}},
                  Question{2, "math", {"M1", "M2"}, {}, {}}, Question{3, "stem", {"S1"}, {}, {}}};
  for (const std::string m : {"a", "b", "c"}) {
    for (int q = 1; q <= 3; ++q) {
      in.answers[m].emplace(
          std::to_string(q),
          answer(q, m, {m + std::to_string(q) + "t1", m + std::to_string(q) + "t2"}));
    }
  }
  in.references.emplace("2", answer(2, "gpt-4", {"R1", "R2"}));
  in.prompts = default_judge_prompts();
  return in;
}

TEST(Matches, SingleInFastChatsOrder) {
  const auto in = inputs();
  const auto ms = make_matches(in, JudgeMode::Single, {"a", "b"}, "");
  // Turn 1: q1 and q3 (no reference) then q2; turn 2: q1 then q2 (q3 has one turn).
  ASSERT_EQ(ms.size(), 10u);
  EXPECT_EQ(ms[0].question->question_id, 1);
  EXPECT_EQ(ms[2].question->question_id, 3);
  EXPECT_EQ(ms[4].question->question_id, 2);
  EXPECT_EQ(ms[4].prompt->name, "single-math-v1");
  EXPECT_EQ(ms[6].prompt->name, "single-v1-multi-turn");
  EXPECT_EQ(ms[8].prompt->name, "single-math-v1-multi-turn");
  EXPECT_EQ(ms[9].model_1, "b");
  EXPECT_EQ(ms[9].turn(), 2);
  const std::string prompt = single_user_prompt(ms[9]);
  for (const char* part : {"M1", "M2", "b2t1", "b2t2", "R1", "R2"}) {
    EXPECT_NE(prompt.find(part), std::string::npos) << part << " in " << prompt;
  }
}

TEST(Matches, PairwiseBaselineAndAll) {
  const auto in = inputs();
  const auto base = make_matches(in, JudgeMode::PairwiseBaseline, {"a", "b", "c"}, "c");
  ASSERT_EQ(base.size(), 10u);  // (a, c) and (b, c) for 5 question-turns
  EXPECT_EQ(base[0].model_1, "a");
  EXPECT_EQ(base[0].model_2, "c");
  const auto all = make_matches(in, JudgeMode::PairwiseAll, {"a", "b", "c"}, "");
  ASSERT_EQ(all.size(), 15u);
  EXPECT_EQ(all[1].model_1, "a");
  EXPECT_EQ(all[1].model_2, "c");
  EXPECT_EQ(all[2].model_1, "b");
  // Game 2 swaps the positions.
  const auto& m = all.back();  // q2 turn 2, (b, c)
  EXPECT_EQ(m.prompt->name, "pair-math-v1-multi-turn");
  const std::string g1 = pair_user_prompt(m, 1);
  const std::string g2 = pair_user_prompt(m, 2);
  EXPECT_LT(g1.find("b2t1"), g1.find("c2t1"));
  EXPECT_LT(g2.find("c2t1"), g2.find("b2t1"));
  EXPECT_NE(g1.find("R2"), std::string::npos);
}

TEST(Matches, MissingDataIsNamed) {
  auto in = inputs();
  in.answers["b"].erase("3");
  try {
    make_matches(in, JudgeMode::Single, {"a", "b"}, "");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().message, "model 'b' has no answer to question 3");
  }
  in = inputs();
  in.references.clear();
  in.reference_source = "ref.jsonl";
  EXPECT_THROW(make_matches(in, JudgeMode::Single, {"a"}, ""), ErrorException);
  // The question's own reference is used when the file has none.
  in.questions[1].reference = {"Q1ref", "Q2ref"};
  const auto ms = make_matches(in, JudgeMode::Single, {"a"}, "");
  EXPECT_NE(single_user_prompt(ms[2]).find("Q1ref"), std::string::npos);
  EXPECT_THROW(make_matches(in, JudgeMode::Single, {"zzz"}, ""), ErrorException);
}

TEST(Matches, PromptSetsAreChecked) {
  JudgePrompts prompts = default_judge_prompts();
  prompts.erase("pair-v2");
  EXPECT_THROW(pick_prompts(prompts, JudgeMode::PairwiseAll), ErrorException);
  EXPECT_NO_THROW(pick_prompts(prompts, JudgeMode::Single));
  prompts = default_judge_prompts();
  prompts["single-v1"].output_format = "[[A]]";
  EXPECT_THROW(pick_prompts(prompts, JudgeMode::Single), ErrorException);
  EXPECT_EQ(parse_judge_mode("pairwise-all"), JudgeMode::PairwiseAll);
  EXPECT_THROW(parse_judge_mode("pairs"), ErrorException);
}

TEST(Matches, JudgeMessagesCarryTheSystemPrompt) {
  const auto prompts = default_judge_prompts();
  const auto messages = judge_messages(prompts.at("pair-v2"), "U");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["role"], "system");
  EXPECT_EQ(messages[1]["content"], "U");
  JudgePrompt bare = prompts.at("pair-v2");
  bare.system_prompt.clear();
  EXPECT_EQ(judge_messages(bare, "U").size(), 1u);
}

}  // namespace
}  // namespace fastchat::judge
