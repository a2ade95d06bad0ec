#pragma once
// One line of model_judgment/<judge>_single.jsonl, FastChat's fields in FastChat's order:
// {question_id, model, judge: [judge_model, prompt_name], user_prompt, judgment, score, turn,
// tstamp}.

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "judge/verdict.h"

namespace fastchat::judge {

struct SingleJudgment {
  nlohmann::json question_id;
  std::string model;
  std::string judge_model;
  std::string prompt_name;
  std::string user_prompt;
  std::string judgment;
  Score score;
  int turn = 1;
  double tstamp = 0.0;

  /// What makes two judgments the same work, for resuming: question, model, judge, turn.
  std::string key() const;
};

SingleJudgment parse_single_judgment(const nlohmann::json& object);
nlohmann::ordered_json to_json(const SingleJudgment& judgment);

/// Each judgment of `file` in order (a torn last line is skipped); a missing file has none.
void read_single_judgments(const std::filesystem::path& file,
                           const std::function<void(SingleJudgment)>& each);

/// "<judge_model>\t<prompt_name>" read from FastChat's "judge" pair (a JSON array of two
/// strings); throws naming the field otherwise.
std::pair<std::string, std::string> parse_judge_pair(const nlohmann::json& object);

}  // namespace fastchat::judge
