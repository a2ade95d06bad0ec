#include "tools/leaderboard/vote_log_input.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_paths.h"

namespace fastchat::leaderboard {
namespace {

using Words = std::vector<std::string>;

TEST(VoteLogInput, WordListsComeFromAFileOrCommas) {
  EXPECT_EQ(parse_word_list("claude, GPT-4 ,,gemini"), (Words{"claude", "GPT-4", "gemini"}));
  EXPECT_EQ(parse_word_list(""), Words{}) << "\"\" turns a list off";
  const auto dir = fastchat::testing::make_temp_dir("vote-log-input");
  std::ofstream(dir / "words.txt") << "# identity words\nstories260K\n\n  open assistant \n";
  EXPECT_EQ(parse_word_list((dir / "words.txt").string()),
            (Words{"stories260K", "open assistant"}));
  std::filesystem::remove_all(dir);
}

TEST(VoteLogInput, FlagsBecomeCleaningOptions) {
  VoteLogFlags flags;
  auto options = clean_options(flags, {"m9"});
  EXPECT_EQ(options.identity_words, rating::default_identity_words());
  EXPECT_EQ(options.exclude_models, Words{"m9"});
  flags.identity_words = "a,b";
  flags.error_markers = "";
  flags.ban_judges = {"1.2.3.4"};
  flags.keep_ip = true;
  options = clean_options(flags, {});
  EXPECT_EQ(options.identity_words, (Words{"a", "b"}));
  EXPECT_TRUE(options.error_markers.empty());
  EXPECT_EQ(options.banned_ips, Words{"1.2.3.4"});
  EXPECT_TRUE(options.keep_ip);
}

}  // namespace
}  // namespace fastchat::leaderboard
