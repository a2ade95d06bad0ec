#include "rating/battle_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "expect_error.h"
#include "test_paths.h"

namespace fastchat::rating {
namespace {

using fastchat::testing::expect_invalid;

BattleSet parse(const std::string& text) {
  BattleSet set;
  parse_battles(text, "battles.json", set);
  return set;
}

// Two records, the second with a tie (bothbad) in a battle whose models were named.
constexpr const char* kTwo =
    R"json({"model_a": "x", "model_b": "y", "winner": "model_a", "anony": true}, )json"
    R"json({"model_a": "y", "model_b": "z", "winner": "tie (bothbad)", "anony": false})json";

TEST(BattleReader, ReadsAJsonList) {
  const auto set = parse(std::string("[") + kTwo + "]");
  ASSERT_EQ(set.battles().size(), 2u);
  EXPECT_EQ(set.models(), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(set.battles()[0].winner, Winner::ModelA);
  EXPECT_TRUE(set.battles()[0].anony);
  EXPECT_EQ(set.battles()[1].model_a, 1);
  EXPECT_EQ(set.battles()[1].winner, Winner::TieBothBad);
  EXPECT_FALSE(set.battles()[1].anony);
}

TEST(BattleReader, ReadsAnObjectWithBattlesAndJsonLines) {
  const auto object = parse(std::string(R"({"battles": [)") + kTwo + R"(], "reference": {}})");
  EXPECT_EQ(object.battles().size(), 2u);
  const auto lines = parse(
      "{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"model_b\"}\n\n"
      "{\"model_a\": \"y\", \"model_b\": \"x\", \"winner\": \"tie\"}\n");
  ASSERT_EQ(lines.battles().size(), 2u);
  EXPECT_EQ(lines.battles()[0].winner, Winner::ModelB);
  EXPECT_TRUE(lines.battles()[0].anony) << "a record without 'anony' counts as anonymous";
  const auto one_line = parse(R"({"model_a": "x", "model_b": "y", "winner": "tie"})");
  EXPECT_EQ(one_line.battles().size(), 1u);
}

TEST(BattleReader, ErrorsNameTheRecordAndTheField) {
  const std::string good = R"({"model_a": "x", "model_b": "y", "winner": "model_a"})";
  expect_invalid(
      [&] { parse("[" + good + R"(, {"model_a": "x", "model_b": "y", "winner": "a"}])"); },
      "battles[1].winner", "must be one of");
  expect_invalid([&] { parse("[" + good + R"(, {"model_a": "x", "winner": "tie"}])"); },
                 "battles[1].model_b", "is missing");
  expect_invalid([&] { parse(R"([{"model_a": 3, "model_b": "y", "winner": "tie"}])"); },
                 "battles[0].model_a", "must be a string");
  expect_invalid([&] { parse(R"([{"model_a": "x", "model_b": "x", "winner": "tie"}])"); },
                 "battles[0].model_b", "must differ");
  expect_invalid(
      [&] { parse(R"([{"model_a": "x", "model_b": "y", "winner": "tie", "anony": "yes"}])"); },
      "battles[0].anony", "must be a boolean");
  expect_invalid([&] { parse("[" + good + ", 7]"); }, "battles[1]", "must be a battle object");
  expect_invalid([&] { parse(R"({"battles": 5})"); }, "battles", "must be a list");
  expect_invalid([&] { parse("[" + good + ","); }, "battles", "is not valid JSON");
  expect_invalid([&] { parse(good + "\n" + good + "\n{oops\n"); }, "line 3", "is not valid JSON");
  expect_invalid([&] { parse(good + "\n" + R"({"model_a": "x", "model_b": "y"})"); },
                 "line 2.winner", "is missing");
  expect_invalid([&] { parse("42"); }, "battles", "must be a list");
  expect_invalid([&] { parse(good + "\n" + R"({"model_a": 1e999})"); }, "line 2",
                 "number overflow");
  expect_invalid([&] { parse(R"([{"model_a": "x", "tstamp": 1e999}])"); }, "battles",
                 "number overflow");
}

TEST(BattleReader, KeepsConvMetadataForStyleControl) {
  const auto set =
      parse(R"json([{"model_a": "x", "model_b": "y", "winner": "model_a", "conv_metadata": {)json"
            R"json("sum_assistant_a_tokens": 120, "sum_assistant_b_tokens": 80, )json"
            R"json("header_count_a": {"h1": 1, "h2": 2}, "header_count_b": {"h1": 0}, )json"
            R"json("list_count_a": {"ordered": 3, "unordered": 1}, "list_count_b": 0, )json"
            R"json("bold_count_a": {"**": 2, "__": 0}, "bold_count_b": {"**": 1}}},)json"
            R"json( {"model_a": "y", "model_b": "x", "winner": "tie"}])json");
  ASSERT_EQ(set.styles().size(), 1u);
  EXPECT_EQ(set.battles()[0].style, 0);
  EXPECT_EQ(set.battles()[1].style, -1);
  const auto& style = set.styles()[0];
  EXPECT_EQ(style.a, (std::array<double, 4>{120, 3, 4, 2}));
  EXPECT_EQ(style.b, (std::array<double, 4>{80, 0, 0, 1}));
  expect_invalid(
      [&] {
        parse(R"json([{"model_a": "x", "model_b": "y", "winner": "tie", "conv_metadata": {)json"
              R"json("sum_assistant_a_tokens": 1}}])json");
      },
      "battles[0].conv_metadata.sum_assistant_b_tokens", "is missing");
  expect_invalid(
      [&] {
        parse(R"json([{"model_a": "x", "model_b": "y", "winner": "tie", "conv_metadata": {)json"
              R"json("sum_assistant_a_tokens": 1, "sum_assistant_b_tokens": 2, )json"
              R"json("header_count_a": {"h1": "two"}}}])json");
      },
      "battles[0].conv_metadata.header_count_a.h1", "must be an integer");
}

TEST(BattleReader, KeepsJudgeLanguageAndDay) {
  const auto set = parse(
      R"json([{"model_a": "x", "model_b": "y", "winner": "tie", "judge": "arena_user_7", )json"
      R"json("language": "English", "tstamp": 172800.5}])json");
  const auto& battle = set.battles()[0];
  EXPECT_EQ(set.judges().names()[battle.judge], "arena_user_7");
  EXPECT_EQ(set.languages().names()[battle.language], "English");
  EXPECT_EQ(battle.day, 2);
  expect_invalid(
      [&] { parse(R"json([{"model_a": "x", "model_b": "y", "winner": "tie", "judge": 7}])json"); },
      "battles[0].judge", "must be a string");
  expect_invalid(
      [&] {
        parse(R"json([{"model_a": "x", "model_b": "y", "winner": "tie", "tstamp": 1e300}])json");
      },
      "battles[0].tstamp", "must be a Unix time");
}

TEST(BattleReader, ErrorsStartWithTheFile) {
  try {
    parse(R"([{"model_a": "x", "model_b": "y", "winner": "draw"}])");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().message.rfind("battles.json: ", 0), 0u) << e.error().message;
  }
}

TEST(BattleReader, ReadsEveryJsonFileOfAFolderInNameOrder) {
  const auto dir = fastchat::testing::make_temp_dir("battle-reader");
  std::ofstream(dir / "b.jsonl") << R"({"model_a": "p", "model_b": "q", "winner": "tie"})"
                                 << "\n";
  std::ofstream(dir / "a.json") << R"([{"model_a": "q", "model_b": "r", "winner": "model_a"}])";
  std::ofstream(dir / "notes.txt") << "not battles";
  const auto set = read_battles(dir);
  ASSERT_EQ(set.battles().size(), 2u);
  EXPECT_EQ(set.models()[0], "q") << "a.json comes first";
  EXPECT_THROW(read_battles(dir / "missing.json"), ErrorException);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fastchat::rating
