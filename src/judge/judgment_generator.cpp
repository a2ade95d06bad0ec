#include "judge/judgment_generator.h"

#include <istream>
#include <ostream>
#include <set>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "judge/jsonl_appender.h"
#include "judge/parallel_runner.h"

namespace fastchat::judge {

std::filesystem::path judgment_file(const std::filesystem::path& bench_dir,
                                    const std::string& judge_model, JudgeMode mode) {
  return bench_dir / "model_judgment" /
         (judge_model + (is_pairwise(mode) ? "_pair.jsonl" : "_single.jsonl"));
}

namespace {

MatchInputs load_inputs(const GenJudgmentOptions& options) {
  MatchInputs in;
  in.questions = load_questions(options.bench_dir / "question.jsonl");
  if (options.first_n && *options.first_n < in.questions.size()) {
    in.questions.resize(*options.first_n);
  }
  in.answers = load_answer_dir(options.bench_dir / "model_answer");
  const std::string ref_model =
      options.reference_model.empty() ? options.judge_model : options.reference_model;
  const auto ref_file = options.bench_dir / "reference_answer" / (ref_model + ".jsonl");
  in.reference_source = ref_file.string();
  if (std::filesystem::exists(ref_file)) in.references = load_answer_file(ref_file);
  in.prompts =
      options.judge_file.empty() ? default_judge_prompts() : load_judge_prompts(options.judge_file);
  return in;
}

std::vector<std::string> models_to_judge(const GenJudgmentOptions& options, const MatchInputs& in) {
  std::vector<std::string> models = options.model_list;
  if (models.empty()) {
    for (const auto& [name, answers] : in.answers) models.push_back(name);
  }
  if (models.empty()) {
    throw_error(ErrorCode::InvalidRequest,
                "no answers in " + (options.bench_dir / "model_answer").string());
  }
  if (options.mode == JudgeMode::PairwiseBaseline && !in.answers.count(options.baseline_model)) {
    throw_error(ErrorCode::InvalidConfig,
                "no answers of the baseline model '" + options.baseline_model + "'",
                "baseline-model");
  }
  return models;
}

// Keys of the matches the output file already holds.
std::set<std::string> judged_keys(const std::filesystem::path& file, JudgeMode mode) {
  std::set<std::string> keys;
  if (is_pairwise(mode)) {
    read_pair_judgments(file, [&](PairJudgment j) { keys.insert(j.key()); });
  } else {
    read_single_judgments(file, [&](SingleJudgment j) { keys.insert(j.key()); });
  }
  return keys;
}

// FastChat's "Stats" and its "Press Enter to confirm...": the judge's calls cost money.
bool confirm(const GenJudgmentOptions& options, const nlohmann::ordered_json& stats,
             std::istream& in, std::ostream& out) {
  out << "Stats:\n" << stats.dump(4) << "\n";
  if (options.yes) return true;
  out << "Press Enter to confirm..." << std::flush;
  std::string line;
  if (!std::getline(in, line)) {
    out << "\nnot confirmed (end of input); pass --yes to run without asking\n";
    return false;
  }
  return true;
}

}  // namespace

GenJudgmentSummary generate_judgments(const GenJudgmentOptions& options, std::istream& in,
                                      std::ostream& out) {
  const MatchInputs inputs = load_inputs(options);
  const auto models = models_to_judge(options, inputs);
  const std::string baseline =
      options.mode == JudgeMode::PairwiseBaseline ? options.baseline_model : "";
  const auto matches = make_matches(inputs, options.mode, models, baseline);
  const auto file = options.output_file.empty()
                        ? judgment_file(options.bench_dir, options.judge_model, options.mode)
                        : options.output_file;
  const auto done = judged_keys(file, options.mode);
  std::vector<const Match*> todo;
  for (const auto& m : matches) {
    if (!done.count(match_key(m, options.judge_model))) todo.push_back(&m);
  }
  GenJudgmentSummary summary;
  summary.matches = matches.size();
  summary.skipped = matches.size() - todo.size();
  const size_t calls_per_match = is_pairwise(options.mode) ? 2 : 1;
  const nlohmann::ordered_json stats = {
      {"bench_dir", options.bench_dir.string()},
      {"mode", options.mode == JudgeMode::Single             ? "single"
               : options.mode == JudgeMode::PairwiseBaseline ? "pairwise-baseline"
                                                             : "pairwise-all"},
      {"judge", options.judge_model},
      {"baseline", baseline.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(baseline)},
      {"model_list", models},
      {"total_num_questions", inputs.questions.size()},
      {"total_num_matches", matches.size()},
      {"already_judged", summary.skipped},
      {"judge_calls", todo.size() * calls_per_match},
      {"output_path", file.string()}};
  summary.confirmed = confirm(options, stats, in, out);
  if (!summary.confirmed) return summary;
  JsonlAppender appender(file);
  const ChatCaller judge(options.api, options.judge_model, options.retry);
  const auto result = run_parallel(todo.size(), options.parallel, "gen-judgment", [&](size_t i) {
    const Match& m = *todo[i];
    const std::string line = is_pairwise(options.mode)
                                 ? to_json(judge_pair(m, judge, options.max_tokens)).dump()
                                 : to_json(judge_single(m, judge, options.max_tokens)).dump();
    appender.append(line);
  });
  summary.judged = result.done;
  summary.failed = result.failed;
  return summary;
}

}  // namespace fastchat::judge
