#pragma once
// The judge calls a gen-judgment run makes, in FastChat's order (gen_judgment.py): first-turn
// questions without reference, then with reference (math, reasoning, coding), then the same for
// second turns; for each question, one match per model (single), per model against the
// baseline (pairwise-baseline) or per pair of models (pairwise-all).

#include <map>
#include <string>
#include <vector>

#include "judge/judge_prompt.h"
#include "judge/model_answer.h"
#include "judge/question.h"

namespace fastchat::judge {

enum class JudgeMode { Single, PairwiseBaseline, PairwiseAll };

/// "single", "pairwise-baseline", "pairwise-all".
JudgeMode parse_judge_mode(const std::string& text);
bool is_pairwise(JudgeMode mode);

struct Match {
  const Question* question = nullptr;
  std::string model_1;
  std::string model_2;  ///< empty for a single-answer match
  const ModelAnswer* answer_1 = nullptr;
  const ModelAnswer* answer_2 = nullptr;
  const JudgePrompt* prompt = nullptr;
  const std::vector<std::string>* reference = nullptr;  ///< reference turns, ref-based prompts
  bool multi_turn = false;

  int turn() const { return multi_turn ? 2 : 1; }
};

/// What matches are made of; the matches point into it, so it outlives them.
struct MatchInputs {
  std::vector<Question> questions;
  std::map<std::string, AnswerMap> answers;  ///< by model
  AnswerMap references;                      ///< reference_answer/<reference model>.jsonl
  std::string reference_source;              ///< that file, for error messages
  JudgePrompts prompts;
};

/// The four prompts FastChat picks for a mode: "default", "math", "default-mt", "math-mt".
/// Throws naming a prompt the set lacks or one of the wrong type or output format.
std::map<std::string, const JudgePrompt*> pick_prompts(const JudgePrompts& prompts, JudgeMode mode);

/// Every match of `mode` for `models` (the baseline is skipped as model_1 in pairwise-baseline).
/// Throws, as FastChat's check_data, when a model's answer or a needed reference is missing,
/// naming the model and question.
std::vector<Match> make_matches(const MatchInputs& inputs, JudgeMode mode,
                                const std::vector<std::string>& models,
                                const std::string& baseline);

}  // namespace fastchat::judge
