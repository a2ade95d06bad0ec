#pragma once
// fastchat-leaderboard's vote-log input: FastChat's conversation logs cleaned into battles (as
// clean_battle_data.py does), the drop counts reported, and the battles optionally written as
// FastChat's battle records so that cleaning and rating can run as separate steps.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "rating/battle_cleaner.h"

namespace fastchat::leaderboard {

struct VoteLogFlags {
  std::optional<std::string> identity_words;  ///< FILE or a,b,c; nullopt: the default list
  std::optional<std::string> error_markers;   ///< FILE or a,b,c; nullopt: the default list
  std::vector<std::string> ban_judges;        ///< IPs whose votes are dropped
  std::string judge_salt;                     ///< key of the judges' ids ("" draws one)
  bool keep_ip = false;                       ///< judge = arena_user_<ip>, as FastChat
  bool clean_only = false;                    ///< stop after cleaning
  std::string output;                         ///< write the battles here ("" not at all)
};

/// The words of `text`: the lines of the file it names when such a file exists (blank lines
/// and lines starting with '#' skipped), otherwise its comma-separated items. Items are trimmed
/// and empty ones dropped, so "" is an empty list.
std::vector<std::string> parse_word_list(const std::string& text);

/// The cleaning options the flags ask for, with `exclude_models` dropped at cleaning too.
rating::CleanOptions clean_options(const VoteLogFlags& flags,
                                   const std::vector<std::string>& exclude_models);

/// Cleans the vote logs at `input`, prints the counts to `report` (when given) and writes
/// `flags.output`. Throws ErrorException as read_vote_logs does, InvalidConfig when the output
/// cannot be written.
std::vector<rating::CleanBattle> clean_vote_logs(const std::string& input,
                                                 const VoteLogFlags& flags,
                                                 const std::vector<std::string>& exclude_models,
                                                 std::ostream* report);

}  // namespace fastchat::leaderboard
