#pragma once
// A benchmark question as FastChat's question.jsonl holds it:
// {"question_id": 81, "category": "writing", "turns": ["...", "..."], "reference": ["..."]}.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "judge/jsonl_reader.h"

namespace fastchat::judge {

struct Question {
  nlohmann::json question_id;  ///< an integer (MT-Bench) or a string (other benches)
  std::string category;
  std::vector<std::string> turns;
  /// Reference answers per turn when the question carries them (39 of MT-Bench's 80 do).
  std::vector<std::string> reference;
  /// A question's own temperature (FastChat's optional "required_temperature").
  std::optional<double> required_temperature;
};

/// One question.jsonl line; throws (naming the field) when it breaks the format.
Question parse_question(const nlohmann::json& object);

/// Every question of `file`, in file order. Throws "<file>:<line>: '<field>' ..." on a bad line
/// and on a question id seen twice.
std::vector<Question> load_questions(const std::filesystem::path& file);

/// FastChat's temperature for a category (gen_model_answer.py's temperature_config): 0.7 for
/// writing and roleplay, 0 for extraction, math, coding and reasoning, 0.1 for stem and
/// humanities, 0.7 for any other.
double category_temperature(const std::string& category);

/// The categories whose judge prompts compare with a reference answer (FastChat's
/// NEED_REF_CATS).
bool needs_reference(const std::string& category);

}  // namespace fastchat::judge
