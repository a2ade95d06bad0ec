#pragma once
// show-result: reads a judgment file and prints FastChat's result tables as Markdown, and
// writes them as CSV and JSON on request. Numbers print with six decimals, as pandas shows them.

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "judge/match.h"
#include "judge/pairwise_results.h"
#include "judge/single_results.h"

namespace fastchat::judge {

struct ShowResultOptions {
  std::filesystem::path bench_dir;
  std::filesystem::path input_file;  ///< empty: model_judgment/<judge>_{single,pair}.jsonl
  std::string judge_model = "gpt-4";
  JudgeMode mode = JudgeMode::Single;
  std::string baseline_model = "gpt-3.5-turbo";  ///< pairwise-baseline only
  std::vector<std::string> model_list;
  std::filesystem::path csv_file;   ///< also write CSV here when set
  std::filesystem::path json_file;  ///< also write JSON here when set
  std::filesystem::path svg_file;   ///< also draw a bar chart here when set
  /// Categories for the per-category means; empty: <bench_dir>/question.jsonl when it exists.
  std::filesystem::path question_file;
};

/// Prints the tables to `out`; throws naming the file and line of a bad judgment.
void show_results(const ShowResultOptions& options, std::ostream& out);

std::string to_markdown(const SingleResults& results);
std::string to_csv(const SingleResults& results);
nlohmann::ordered_json to_json(const SingleResults& results);

std::string to_markdown(const std::vector<PairwiseRow>& rows);
std::string to_csv(const std::vector<PairwiseRow>& rows);
nlohmann::ordered_json to_json(const std::vector<PairwiseRow>& rows);

}  // namespace fastchat::judge
