#include "rating/battle_filter.h"

#include <gtest/gtest.h>

#include "rating_test_data.h"

namespace fastchat::rating {
namespace {

using testing::make_battles;

TEST(BattleFilter, KeepsAnonymousBattlesByDefault) {
  auto set = make_battles({{"a", "b", Winner::ModelA}, {"a", "c", Winner::Tie}});
  set.battles()[0].anony = false;
  const auto kept = filter_battles(set, {});
  ASSERT_EQ(kept.battles().size(), 1u);
  EXPECT_EQ(kept.models(), (std::vector<std::string>{"a", "c"})) << "b has no battle left";
  BattleFilter all;
  all.include_non_anony = true;
  EXPECT_EQ(filter_battles(set, all).battles().size(), 2u);
}

TEST(BattleFilter, DropsTiesAndExcludedModels) {
  const auto set = make_battles({{"a", "b", Winner::ModelA},
                                 {"a", "c", Winner::Tie},
                                 {"b", "c", Winner::TieBothBad},
                                 {"c", "b", Winner::ModelB}});
  BattleFilter no_ties;
  no_ties.exclude_ties = true;
  EXPECT_EQ(filter_battles(set, no_ties).battles().size(), 2u);
  BattleFilter no_a;
  no_a.exclude_models = {"a", "unknown"};
  const auto kept = filter_battles(set, no_a);
  ASSERT_EQ(kept.battles().size(), 2u);
  EXPECT_EQ(kept.find("a"), -1);
  EXPECT_EQ(kept.models()[kept.battles()[1].model_b], "b");
}

TEST(BattleFilter, KeepsOnlyTheLanguagesAsked) {
  auto set = make_battles(
      {{"a", "b", Winner::ModelA}, {"a", "b", Winner::ModelB}, {"a", "b", Winner::Tie}});
  set.battles()[0].language = set.languages().intern("English");
  set.battles()[1].language = set.languages().intern("Chinese");
  BattleFilter english;
  english.languages = {"English", "Klingon"};
  const auto kept = filter_battles(set, english);
  ASSERT_EQ(kept.battles().size(), 1u) << "a battle without a language never matches";
  EXPECT_EQ(kept.languages().names()[kept.battles()[0].language], "English");
}

TEST(BattleFilter, CapsVotesPerJudgeAndDayAfterTheOtherFilters) {
  auto set = make_battles({{"a", "b", Winner::Tie},  // dropped by exclude_ties: not counted
                           {"a", "b", Winner::ModelA},
                           {"a", "b", Winner::ModelB},
                           {"a", "b", Winner::ModelA},    // third vote of u1 on day 1: over
                           {"a", "b", Winner::ModelA},    // u1, day 2
                           {"a", "b", Winner::ModelB},    // u2, day 1
                           {"a", "b", Winner::ModelB}});  // no judge: never capped
  const int32_t u1 = set.judges().intern("u1"), u2 = set.judges().intern("u2");
  const std::vector<std::pair<int32_t, int32_t>> judge_day{{u1, 1}, {u1, 1}, {u1, 1}, {u1, 1},
                                                           {u1, 2}, {u2, 1}, {-1, 1}};
  for (size_t i = 0; i < judge_day.size(); ++i) {
    set.battles()[i].judge = judge_day[i].first;
    set.battles()[i].day = judge_day[i].second;
  }
  BattleFilter cap;
  cap.exclude_ties = true;
  cap.daily_vote_cap = 2;
  const auto kept = filter_battles(set, cap);
  ASSERT_EQ(kept.battles().size(), 5u);
  EXPECT_EQ(kept.battles()[2].day, 2) << "u1's third vote of day 1 is dropped";
}

}  // namespace
}  // namespace fastchat::rating
