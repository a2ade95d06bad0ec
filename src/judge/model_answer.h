#pragma once
// A model's answer to one question as FastChat's model_answer/<model>.jsonl holds it:
// {"question_id", "answer_id", "model_id", "choices": [{"index": 0, "turns": [...]}], "tstamp"}.
// The same format holds reference answers (reference_answer/<judge>.jsonl).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::judge {

struct ModelAnswer {
  nlohmann::json question_id;
  std::string answer_id;
  std::string model_id;
  std::vector<std::vector<std::string>> choices;  ///< each choice's turns, by index
  double tstamp = 0.0;

  /// The first choice's answer to `turn` (0-based), which is what FastChat judges; throws
  /// naming the question when the answer has fewer turns.
  const std::string& turn(size_t turn) const;
};

/// Answers of one model by question id key (id_key). A later line for the same question wins,
/// as in FastChat's load_model_answers.
using AnswerMap = std::map<std::string, ModelAnswer>;

ModelAnswer parse_model_answer(const nlohmann::json& object);

/// The line FastChat writes, fields in its order.
nlohmann::ordered_json to_json(const ModelAnswer& answer);

/// One answer file. `tolerate_torn_tail`: skip a last line a crash cut short.
AnswerMap load_answer_file(const std::filesystem::path& file, bool tolerate_torn_tail = false);

/// Every <model>.jsonl of `dir`, by model name (the file name without .jsonl), as FastChat's
/// load_model_answers. A missing folder gives no models.
std::map<std::string, AnswerMap> load_answer_dir(const std::filesystem::path& dir);

/// A random 22-character id in shortuuid's alphabet, as FastChat's answer_id.
std::string new_answer_id();

/// Seconds since the epoch with microseconds, as Python's time.time().
double now_tstamp();

}  // namespace fastchat::judge
