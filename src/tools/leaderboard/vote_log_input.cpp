#include "tools/leaderboard/vote_log_input.h"

#include <filesystem>
#include <fstream>

#include "common/error/error.h"
#include "common/json/json_file.h"
#include "rating/cleaned_battles.h"
#include "rating/vote_log_reader.h"

namespace fastchat::leaderboard {
namespace {

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

std::vector<std::string> split(const std::string& text, char separator, bool comments) {
  std::vector<std::string> words;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(separator, begin);
    if (end == std::string::npos) end = text.size();
    const std::string word = trim(text.substr(begin, end - begin));
    if (!word.empty() && !(comments && word[0] == '#')) words.push_back(word);
    begin = end + 1;
  }
  return words;
}

}  // namespace

std::vector<std::string> parse_word_list(const std::string& text) {
  std::error_code ec;
  if (!text.empty() && std::filesystem::is_regular_file(text, ec)) {
    return split(read_text_file(text, ErrorCode::InvalidConfig), '\n', true);
  }
  return split(text, ',', false);
}

rating::CleanOptions clean_options(const VoteLogFlags& flags,
                                   const std::vector<std::string>& exclude_models) {
  rating::CleanOptions options;
  if (flags.identity_words) options.identity_words = parse_word_list(*flags.identity_words);
  if (flags.error_markers) options.error_markers = parse_word_list(*flags.error_markers);
  options.banned_ips = flags.ban_judges;
  options.exclude_models = exclude_models;
  options.judge_salt = flags.judge_salt;
  options.keep_ip = flags.keep_ip;
  return options;
}

std::vector<rating::CleanBattle> clean_vote_logs(const std::string& input,
                                                 const VoteLogFlags& flags,
                                                 const std::vector<std::string>& exclude_models,
                                                 std::ostream* report) {
  rating::BattleCleaner cleaner(clean_options(flags, exclude_models));
  rating::read_vote_logs(input, cleaner);
  auto battles = cleaner.battles();
  if (report != nullptr) *report << rating::format_clean_stats(cleaner.stats());
  if (!flags.output.empty()) {
    std::ofstream out(flags.output, std::ios::binary);
    out << rating::battles_to_json(battles);
    if (!out)
      throw_error(ErrorCode::InvalidConfig, "--output: cannot write " + flags.output, "output");
  }
  return battles;
}

}  // namespace fastchat::leaderboard
