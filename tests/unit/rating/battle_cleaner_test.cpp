#include "rating/battle_cleaner.h"

#include <gtest/gtest.h>

#include "rating/vote_log_reader.h"
#include "vote_log_test_data.h"

namespace fastchat::rating {
namespace {

using nlohmann::json;
using testing::conv_state;
using testing::simple_vote;
using testing::vote_record;

// The cleaner after the records, read as a log file would be.
BattleCleaner clean(const std::vector<json>& records, CleanOptions options = {}) {
  options.judge_salt = "test";
  BattleCleaner cleaner(std::move(options));
  parse_vote_log(testing::to_lines(records), "2024-05-01-conv.json", cleaner);
  return cleaner;
}

// The reason the single vote `record` was dropped for, or nullopt when kept.
std::optional<DropReason> verdict(const json& record, CleanOptions options = {}) {
  const auto cleaner = clean({record}, std::move(options));
  for (size_t i = 0; i < kDropReasons; ++i) {
    if (cleaner.stats().dropped[i] > 0) return static_cast<DropReason>(i);
  }
  EXPECT_EQ(cleaner.stats().kept, 1);
  return std::nullopt;
}

json two_sided(const std::vector<json>& texts_a, const std::vector<json>& texts_b,
               bool hidden = true) {
  return vote_record("leftvote", conv_state("m1", "ca", texts_a), conv_state("m2", "cb", texts_b),
                     hidden);
}

TEST(BattleCleaner, MapsVoteTypesToWinners) {
  const auto cleaner = clean(
      {simple_vote("leftvote", "m1", "m2", "1"), simple_vote("rightvote", "m1", "m2", "2"),
       simple_vote("tievote", "m2", "m1", "3"), simple_vote("bothbad_vote", "m1", "m2", "4")});
  const auto battles = cleaner.battles();
  ASSERT_EQ(battles.size(), 4u);
  EXPECT_EQ(battles[0].winner, Winner::ModelA);
  EXPECT_EQ(battles[1].winner, Winner::ModelB);
  EXPECT_EQ(battles[2].winner, Winner::Tie);
  EXPECT_EQ(battles[3].winner, Winner::TieBothBad);
  EXPECT_EQ(battles[2].model_a, "m2") << "models come from the states";
  EXPECT_EQ(battles[2].model_b, "m1");
  EXPECT_EQ(battles[0].question_id, "1-a");
  EXPECT_TRUE(battles[0].anony);
  EXPECT_EQ(battles[0].turn, 1);
  EXPECT_EQ(battles[0].tstamp, 1700000000.0);
}

TEST(BattleCleaner, SkipsRecordsThatAreNotBattleVotes) {
  const json chat = {{"tstamp", 1.0},
                     {"type", "chat"},
                     {"model", "m1"},
                     {"state", conv_state("m1", "c", {"hi", "yo"})},
                     {"ip", "1.1.1.1"}};
  json upvote = chat;
  upvote["type"] = "upvote";
  json share = simple_vote("share", "m1", "m2", "s");
  const auto cleaner = clean({chat, upvote, share, simple_vote("leftvote", "m1", "m2", "v")});
  EXPECT_EQ(cleaner.stats().records, 4);
  EXPECT_EQ(cleaner.stats().non_votes, 3);
  EXPECT_EQ(cleaner.stats().votes, 1);
  EXPECT_EQ(cleaner.stats().kept, 1);
}

TEST(BattleCleaner, NamedBattlesAndInvalidModelNames) {
  const auto named = clean({two_sided({"hi", "a"}, {"hi", "b"}, /*hidden=*/false)});
  ASSERT_EQ(named.battles().size(), 1u);
  EXPECT_FALSE(named.battles()[0].anony);
  json mismatch = two_sided({"hi", "a"}, {"hi", "b"}, false);
  mismatch["models"][1] = "m3";  // the selector shows a model the state did not run
  EXPECT_EQ(verdict(mismatch), DropReason::InvalidModels);
  json half_hidden = two_sided({"hi", "a"}, {"hi", "b"});
  half_hidden["models"][1] = "m2";
  EXPECT_EQ(verdict(half_hidden), DropReason::InvalidModels);
  json no_name = two_sided({"hi", "a"}, {"hi", "b"});
  no_name["states"][0].erase("model_name");
  EXPECT_EQ(verdict(no_name), DropReason::InvalidModels);
  EXPECT_EQ(verdict(simple_vote("leftvote", "m1", "m1", "x")), DropReason::InvalidModels);
  json old_hidden = two_sided({"hi", "a"}, {"hi", "b"});
  old_hidden["models"] = {"Model A", "Model B"};  // older anonymous arenas
  EXPECT_EQ(verdict(old_hidden), std::nullopt);
}

TEST(BattleCleaner, DropsEmptyAndMissingMessages) {
  EXPECT_EQ(verdict(two_sided({}, {"hi", "b"})), DropReason::EmptyMessages);
  json missing = two_sided({"hi", "a"}, {"hi", "b"});
  missing["states"][1].erase("messages");
  EXPECT_EQ(verdict(missing), DropReason::EmptyMessages);
  json null_messages = two_sided({"hi", "a"}, {"hi", "b"});
  null_messages["states"][0]["messages"] = nullptr;
  EXPECT_EQ(verdict(null_messages), DropReason::EmptyMessages);
  // Only the template's few-shot examples: nothing after the offset.
  const json few_shot_only =
      vote_record("leftvote", conv_state("m1", "ca", {}, 2), conv_state("m2", "cb", {"hi", "b"}));
  EXPECT_EQ(verdict(few_shot_only), DropReason::EmptyMessages);
}

TEST(BattleCleaner, DropsUnfinishedReplies) {
  EXPECT_EQ(verdict(two_sided({"hi", nullptr}, {"hi", "b"})), DropReason::UnfinishedReply);
  EXPECT_EQ(verdict(two_sided({"hi", "a"}, {"hi", ""})), DropReason::UnfinishedReply);
  EXPECT_EQ(verdict(two_sided({"hi", "a", "more"}, {"hi", "b", "more"})),
            DropReason::UnfinishedReply);
}

TEST(BattleCleaner, DropsErrorReplies) {
  const json network = two_sided(
      {"hi", "**NETWORK ERROR DUE TO HIGH TRAFFIC. PLEASE REGENERATE OR REFRESH THIS PAGE.**"},
      {"hi", "b"});
  EXPECT_EQ(verdict(network), DropReason::ErrorReply);
  const json code = two_sided({"hi", "a"}, {"hi", "partial\n\n(error_code: 50001)"});
  EXPECT_EQ(verdict(code), DropReason::ErrorReply);
  CleanOptions custom;
  custom.error_markers = {"OUT OF CAPACITY"};
  EXPECT_EQ(verdict(network, custom), std::nullopt);
  EXPECT_EQ(verdict(two_sided({"hi", "OUT OF CAPACITY"}, {"hi", "b"}), custom),
            DropReason::ErrorReply);
  // A prompt quoting the marker is not a failed reply.
  EXPECT_EQ(verdict(two_sided({"**NETWORK ERROR?", "a"}, {"**NETWORK ERROR?", "b"})), std::nullopt);
}

TEST(BattleCleaner, DropsVotesWhosePromptsDiffer) {
  EXPECT_EQ(verdict(two_sided({"hi", "a"}, {"hello", "b"})), DropReason::PromptMismatch);
  EXPECT_EQ(verdict(two_sided({"hi", "a", "more", "a2"}, {"hi", "b"})), DropReason::PromptMismatch);
  EXPECT_EQ(verdict(two_sided({"hi", "a", "more", "a2"}, {"hi", "b", "more", "b2"})), std::nullopt);
}

TEST(BattleCleaner, DropsAnonymousVotesWhoseRepliesNameAModel) {
  EXPECT_EQ(verdict(two_sided({"hi", "I am CLAUDE, made by Anthropic."}, {"hi", "b"})),
            DropReason::IdentityLeak);
  EXPECT_EQ(verdict(two_sided({"hi", "a"}, {"hi", "As an OpenAI model"})),
            DropReason::IdentityLeak);
  // The voter knew the models of a named battle; a prompt naming one reveals nothing.
  EXPECT_EQ(verdict(two_sided({"hi", "I am Claude"}, {"hi", "b"}, false)), std::nullopt);
  EXPECT_EQ(verdict(two_sided({"are you chatgpt?", "a"}, {"are you chatgpt?", "b"})), std::nullopt);
  CleanOptions words;
  words.identity_words = {"Stories260K"};
  EXPECT_EQ(verdict(two_sided({"hi", "I am stories260k"}, {"hi", "b"}), words),
            DropReason::IdentityLeak);
  EXPECT_EQ(verdict(two_sided({"hi", "I am Claude"}, {"hi", "b"}), words), std::nullopt);
}

TEST(BattleCleaner, DropsExcludedModelsAndBannedJudges) {
  CleanOptions options;
  options.exclude_models = {"m2"};
  options.banned_ips = {"6.6.6.6"};
  EXPECT_EQ(verdict(simple_vote("leftvote", "m1", "m2", "1"), options), DropReason::ExcludedModel);
  json banned = simple_vote("leftvote", "m1", "m3", "2");
  banned["ip"] = "6.6.6.6";
  EXPECT_EQ(verdict(banned, options), DropReason::BannedJudge);
  EXPECT_EQ(verdict(simple_vote("leftvote", "m1", "m3", "3"), options), std::nullopt);
}

TEST(BattleCleaner, DeduplicatesIdenticalVotes) {
  const json vote = simple_vote("leftvote", "m1", "m2", "1");
  json recast = vote;
  recast["type"] = "rightvote";  // same battle, another verdict: kept
  json no_ids = two_sided({"hi", "a"}, {"hi", "b"});
  no_ids["states"][0].erase("conv_id");
  no_ids["states"][1].erase("conv_id");
  const auto cleaner = clean({vote, vote, recast, no_ids, no_ids});
  EXPECT_EQ(cleaner.stats().dropped_for(DropReason::Duplicate), 1);
  EXPECT_EQ(cleaner.stats().kept, 4) << "votes without conv ids cannot be told apart";
}

TEST(BattleCleaner, CountsTurnsAfterTheOffsetAndTheFirstRuleBroken) {
  const json three = vote_record(
      "tievote", conv_state("m1", "ca", {"q1", "a1", "q2", "a2", "q3", "a3"}, /*few_shot=*/2),
      conv_state("m2", "cb", {"q1", "b1", "q2", "b2", "q3", "b3"}, 2));
  const auto cleaner = clean({three});
  ASSERT_EQ(cleaner.battles().size(), 1u);
  EXPECT_EQ(cleaner.battles()[0].turn, 3);
  // Empty on one side and a leak on the other: counted once, for the first rule.
  const auto both = clean({two_sided({}, {"hi", "I am Claude"})});
  EXPECT_EQ(both.stats().dropped_for(DropReason::EmptyMessages), 1);
  EXPECT_EQ(both.stats().dropped_for(DropReason::IdentityLeak), 0);
}

TEST(BattleCleaner, SortsByTimestampAndHidesIps) {
  const auto cleaner = clean({simple_vote("leftvote", "m1", "m2", "late", 20.0),
                              simple_vote("leftvote", "m1", "m2", "early", 10.0)});
  const auto battles = cleaner.battles();
  ASSERT_EQ(battles.size(), 2u);
  EXPECT_EQ(battles[0].question_id, "early-a");
  EXPECT_EQ(battles[0].judge, battles[1].judge) << "one IP, one judge";
  EXPECT_EQ(battles[0].judge.rfind("arena_user_", 0), 0u);
  EXPECT_EQ(battles[0].judge.find("10.0.0.1"), std::string::npos);
  CleanOptions raw;
  raw.keep_ip = true;
  EXPECT_EQ(clean({simple_vote("leftvote", "m1", "m2", "1")}, raw).battles()[0].judge,
            "arena_user_10.0.0.1");
}

}  // namespace
}  // namespace fastchat::rating
