#include "rating/vote_log_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "expect_error.h"
#include "rating/battle_reader.h"
#include "rating/cleaned_battles.h"
#include "rating/leaderboard.h"
#include "rating/online_elo.h"
#include "rating_test_data.h"
#include "test_paths.h"
#include "vote_log_test_data.h"

namespace fastchat::rating {
namespace {

using fastchat::testing::expect_invalid;
using nlohmann::json;
using testing::simple_vote;

void parse(const std::string& text) {
  BattleCleaner cleaner;
  parse_vote_log(text, "2024-05-01-conv.json", cleaner);
}

// `good` then a line made from a good vote changed by `edit`: the error is on line 2.
template <typename Edit>
void expect_bad_line(Edit edit, const std::string& field, const std::string& fragment) {
  const json good = simple_vote("leftvote", "m1", "m2", "1");
  json bad = good;
  edit(bad);
  expect_invalid([&] { parse(testing::to_lines({good, bad})); }, "line 2" + field, fragment);
}

TEST(VoteLogReader, MalformedRecordsNameTheLineAndTheField) {
  expect_invalid([] { parse("{\"type\": \"leftvote\"\n"); }, "line 1", "is not valid JSON");
  expect_invalid([] { parse("[1, 2]\n"); }, "line 1", "must be a log record object");
  expect_bad_line([](json& r) { r.erase("type"); }, ".type", "is missing");
  expect_bad_line([](json& r) { r["type"] = 3; }, ".type", "must be a string");
  expect_bad_line([](json& r) { r.erase("states"); }, ".states", "is missing");
  expect_bad_line([](json& r) { r["states"].erase(1); }, ".states", "must be a list of two");
  expect_bad_line([](json& r) { r["models"] = "m1"; }, ".models", "must be a list of two");
  expect_bad_line([](json& r) { r["models"][1] = 7; }, ".models[1]", "must be a string");
  expect_bad_line([](json& r) { r["states"][1] = "state"; }, ".states[1]", "must be a conv");
  expect_bad_line([](json& r) { r["states"][0]["messages"] = 5; }, ".states[0].messages",
                  "must be a list");
  expect_bad_line([](json& r) { r["states"][1]["messages"][1] = "hi"; }, ".states[1].messages[1]",
                  "must be a [role, text] pair");
  expect_bad_line([](json& r) { r["states"][0]["messages"][1][1] = 42; },
                  ".states[0].messages[1][1]", "must be a string, null or [text, images]");
  expect_bad_line([](json& r) { r["states"][0]["offset"] = -1; }, ".states[0].offset",
                  "must be in");
  expect_bad_line([](json& r) { r["states"][0]["model_name"] = 1; }, ".states[0].model_name",
                  "must be a string");
  expect_bad_line([](json& r) { r.erase("tstamp"); }, ".tstamp", "is missing");
  expect_bad_line([](json& r) { r["ip"] = false; }, ".ip", "must be a string");
}

TEST(VoteLogReader, ErrorsStartWithTheFileAndSkipBlankLines) {
  const std::string good = simple_vote("leftvote", "m1", "m2", "1").dump();
  try {
    parse(good + "\n\n" + good + "\nnot json\n");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().message.rfind("2024-05-01-conv.json: 'line 4'", 0), 0u)
        << e.error().message;
  }
}

TEST(VoteLogReader, ReadsVisionTextsAndOffsets) {
  json vote = simple_vote("leftvote", "m1", "m2", "1");
  vote["states"][0]["messages"][0][1] = {"hi", json::array({"image-hash"})};
  BattleCleaner cleaner;
  parse_vote_log(vote.dump(), "log", cleaner);
  EXPECT_EQ(cleaner.stats().kept, 1) << "the [text, images] prompt equals B's text prompt";
}

TEST(VoteLogReader, TellsVoteLogsFromBattles) {
  const auto dir = fastchat::testing::make_temp_dir("vote-log-reader");
  std::ofstream(dir / "battles.json") << R"([{"model_a": "x", "model_b": "y", "winner": "tie"}])";
  std::ofstream(dir / "battles.jsonl") << R"({"model_a": "x", "model_b": "y", "winner": "tie"})";
  std::ofstream(dir / "pretty.json") << "{\n  \"battles\": []\n}\n";
  std::ofstream(dir / "2024-05-01-conv.json") << "\n"
                                              << R"({"tstamp": 1, "type": "chat", "state": {}})"
                                              << "\n";
  EXPECT_FALSE(is_vote_log(dir / "battles.json"));
  EXPECT_FALSE(is_vote_log(dir / "battles.jsonl"));
  EXPECT_FALSE(is_vote_log(dir / "pretty.json"));
  EXPECT_TRUE(is_vote_log(dir / "2024-05-01-conv.json"));
  EXPECT_TRUE(is_vote_log(dir)) << "a folder is judged by its first file";
  std::filesystem::remove_all(dir);
}

TEST(VoteLogReader, ReadsAFolderOfDailyLogsInDateOrder) {
  const auto dir = fastchat::testing::make_temp_dir("vote-log-folder");
  std::ofstream(dir / "2024-05-02-conv.json")
      << testing::to_lines({simple_vote("rightvote", "m1", "m2", "2", 200.0)});
  std::ofstream(dir / "2024-05-01-conv.json")
      << testing::to_lines({simple_vote("leftvote", "m2", "m3", "1", 100.0),
                            simple_vote("leftvote", "m2", "m3", "1", 100.0)});
  BattleCleaner cleaner;
  read_vote_logs(dir, cleaner);
  const auto battles = cleaner.battles();
  ASSERT_EQ(battles.size(), 2u);
  EXPECT_EQ(battles[0].model_a, "m2");
  EXPECT_EQ(cleaner.stats().dropped_for(DropReason::Duplicate), 1);
  std::filesystem::remove_all(dir);
}

// Cleaned votes rate as hand arithmetic says. Kept: m1 beats m2 twice, m2 beats m1 once;
// dropped: a duplicate, a leak and a failed reply that would all favour m2.
TEST(VoteLogReader, CleanedBattlesRateAsExpected) {
  json leak = simple_vote("rightvote", "m1", "m2", "leak", 4.0);
  leak["states"][1]["messages"][1][1] = "As Claude, I think...";
  json failed = simple_vote("rightvote", "m1", "m2", "failed", 5.0);
  failed["states"][0]["messages"][1][1] = nullptr;
  BattleCleaner cleaner;
  parse_vote_log(testing::to_lines({simple_vote("leftvote", "m1", "m2", "1", 1.0),
                                    simple_vote("rightvote", "m1", "m2", "2", 2.0),
                                    simple_vote("leftvote", "m1", "m2", "3", 3.0),
                                    simple_vote("rightvote", "m1", "m2", "2", 2.0), leak, failed}),
                 "log", cleaner);
  const auto set = to_battle_set(cleaner.battles());
  ASSERT_EQ(set.battles().size(), 3u);
  // Online Elo: 1000/1000 → m1 1002; then m1 loses at its expected 1/(1 + 10^(-4/400)).
  const auto elo = online_elo(set);
  const double e2 = 1.0 / (1.0 + std::pow(10.0, -4.0 / 400.0));
  const double m1 = 1002.0 - 4.0 * e2;
  const double e3 = 1.0 / (1.0 + std::pow(10.0, (2000.0 - 2.0 * m1) / 400.0));
  EXPECT_NEAR(testing::rating_of(set, elo, "m1"), m1 + 4.0 * (1.0 - e3), 1e-9);
  // Bradley–Terry: P(m1 wins) = 2/3, so m1 - m2 = 400 log10(2) about a mean of 1000.
  LeaderboardOptions options;
  options.bootstrap.rounds = 0;
  const auto board = compute_leaderboard(set, options);
  ASSERT_EQ(board.rows.size(), 2u);
  EXPECT_EQ(board.rows[0].model, "m1");
  EXPECT_NEAR(board.rows[0].rating - board.rows[1].rating, 400.0 * std::log10(2.0), 1e-3);
  EXPECT_NEAR(board.rows[0].rating + board.rows[1].rating, 2000.0, 1e-3);
}

TEST(VoteLogReader, WrittenBattlesReadBackAsFastChatRecords) {
  CleanOptions options;
  options.judge_salt = "s";
  BattleCleaner cleaner(options);
  parse_vote_log(testing::to_lines({simple_vote("bothbad_vote", "m1", "m2", "1", 86400.5)}), "log",
                 cleaner);
  const std::string text = battles_to_json(cleaner.battles());
  const json records = json::parse(text);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["question_id"], "1-a");
  EXPECT_EQ(records[0]["winner"], "tie (bothbad)");
  EXPECT_EQ(records[0]["turn"], 1);
  EXPECT_EQ(records[0]["anony"], true);
  BattleSet set;
  parse_battles(text, "battles.json", set);
  ASSERT_EQ(set.battles().size(), 1u);
  EXPECT_EQ(set.battles()[0].day, 1);
  EXPECT_EQ(set.judges().names()[0], records[0]["judge"].get<std::string>());
}

TEST(JudgePseudonym, SipHashAndStableKeyedIds) {
  // The reference vectors of SipHash-2-4 (key 00 01 ... 0f; messages 00 01 ... n-1).
  const uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
  EXPECT_EQ(siphash24(k0, k1, ""), 0x726fdb47dd0e0e31ULL);
  std::string fifteen;
  for (char c = 0; c < 15; ++c) fifteen += c;
  EXPECT_EQ(siphash24(k0, k1, fifteen), 0xa129ca6149be45e5ULL);
  const JudgePseudonym a("salt"), b("salt"), other("pepper"), random;
  EXPECT_EQ(a.judge("1.2.3.4"), b.judge("1.2.3.4"));
  EXPECT_NE(a.judge("1.2.3.4"), a.judge("1.2.3.5"));
  EXPECT_NE(a.judge("1.2.3.4"), other.judge("1.2.3.4"));
  EXPECT_EQ(a.judge("1.2.3.4").size(), std::string("arena_user_").size() + 16);
  EXPECT_EQ(JudgePseudonym("", true).judge("1.2.3.4"), "arena_user_1.2.3.4");
}

}  // namespace
}  // namespace fastchat::rating
