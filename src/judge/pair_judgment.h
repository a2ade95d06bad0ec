#pragma once
// One line of model_judgment/<judge>_pair.jsonl, FastChat's fields in FastChat's order:
// {question_id, model_1, model_2, g1_winner, g2_winner, judge: [judge_model, prompt_name],
// g1_user_prompt, g1_judgment, g2_user_prompt, g2_judgment, turn, tstamp}. Game 1 shows
// model_1 as assistant A, game 2 shows it as B; winners are "model_1", "model_2", "tie" or
// "error".

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace fastchat::judge {

struct PairJudgment {
  nlohmann::json question_id;
  std::string model_1;
  std::string model_2;
  std::string g1_winner;
  std::string g2_winner;
  std::string judge_model;
  std::string prompt_name;
  std::string g1_user_prompt;
  std::string g1_judgment;
  std::string g2_user_prompt;
  std::string g2_judgment;
  int turn = 1;
  double tstamp = 0.0;

  /// What makes two judgments the same work, for resuming: question, models, judge, turn.
  std::string key() const;
};

PairJudgment parse_pair_judgment(const nlohmann::json& object);
nlohmann::ordered_json to_json(const PairJudgment& judgment);

/// Each judgment of `file` in order (a torn last line is skipped); a missing file has none.
void read_pair_judgments(const std::filesystem::path& file,
                         const std::function<void(PairJudgment)>& each);

/// A game's verdict about the answers shown as A and B, as the model it names: game 1 maps
/// A to "model_1", game 2 maps A to "model_2"; "tie" and "error" stay.
std::string winner_model(const std::string& verdict, int game);

}  // namespace fastchat::judge
