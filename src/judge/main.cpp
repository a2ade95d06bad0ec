// fastchat-judge: MT-Bench and LLM-as-a-judge against any OpenAI-compatible endpoint, reading
// and writing FastChat's llm_judge files (question.jsonl, model_answer/, reference_answer/,
// model_judgment/), so a user can move between FastChat's scripts and this program.
//   gen-answer    a model's answers to the questions
//   gen-judgment  a judge model's verdicts on the answers (single, pairwise-baseline, -all)
//   show-result   FastChat's result tables (Markdown; --csv, --json, --svg)
//   agreement     how often two judges agree (FastChat's compute_agreement.py)

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "common/process/run_program.h"
#include "judge/agreement.h"
#include "judge/answer_generator.h"
#include "judge/judgment_generator.h"
#include "judge/result_report.h"

namespace {

using namespace fastchat::judge;

// Flags every subcommand that calls a model shares: where, the key, timeouts and retries.
struct ApiFlags {
  std::string base;
  std::string key;
  double timeout_s = 600.0;
  int max_retries = 7;
  double backoff_s = 1.0;

  void add(CLI::App& cmd, const std::string& prefix) {
    cmd.add_option("--" + prefix + "api-base", base,
                   "OpenAI base URL including /v1, e.g. http://127.0.0.1:8000/v1")
        ->required();
    cmd.add_option("--" + prefix + "api-key", key,
                   "Sent as Authorization: Bearer <key> (default: $OPENAI_API_KEY)");
    cmd.add_option("--timeout", timeout_s, "Seconds to wait for the model's next bytes")
        ->check(CLI::Range(0.1, 86400.0))
        ->capture_default_str();
    cmd.add_option("--max-retries", max_retries,
                   "Retries of a call after a 429, 5xx or broken "
                   "connection")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    cmd.add_option("--retry-backoff", backoff_s,
                   "Seconds before the first retry when the server sends no Retry-After; "
                   "doubled at each retry, up to 60")
        ->check(CLI::Range(0.0, 600.0))
        ->capture_default_str();
  }

  fastchat::client::OpenAiClientOptions client() const {
    fastchat::client::OpenAiClientOptions options;
    options.base_url = base;
    options.api_key = key;
    if (options.api_key.empty()) {
      if (const char* env = std::getenv("OPENAI_API_KEY")) options.api_key = env;
    }
    options.read_timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
    return options;
  }

  RetryPolicy retry() const {
    RetryPolicy policy;
    policy.max_attempts = max_retries + 1;
    policy.initial_backoff = std::chrono::milliseconds(static_cast<int64_t>(backoff_s * 1000));
    return policy;
  }
};

void add_mode(CLI::App& cmd, std::string& mode) {
  cmd.add_option("--mode", mode, "single, pairwise-baseline or pairwise-all")
      ->check(CLI::IsMember({"single", "pairwise-baseline", "pairwise-all"}))
      ->capture_default_str();
}

struct GenAnswerCommand {
  CLI::App* cmd = nullptr;
  GenAnswerOptions options;
  ApiFlags api;
  double force_temperature = 0.0;
  size_t begin = 0;
  size_t end = 0;
  CLI::Option* force_opt = nullptr;
  CLI::Option* begin_opt = nullptr;
  CLI::Option* end_opt = nullptr;

  void add(CLI::App& app) {
    cmd = app.add_subcommand("gen-answer", "A model's answers to the bench questions");
    cmd->add_option("--bench-dir", options.bench_dir, "Folder holding question.jsonl")->required();
    cmd->add_option("--model", options.model, "Model name (request and file name)")->required();
    api.add(*cmd, "");
    cmd->add_option("--answer-file", options.answer_file,
                    "Default: BENCH_DIR/model_answer/MODEL.jsonl");
    cmd->add_option("--parallel", options.parallel, "Questions in flight")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    cmd->add_option("--num-choices", options.num_choices, "Answers per question")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    cmd->add_option("--max-tokens", options.max_tokens, "max_tokens of each turn")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    force_opt = cmd->add_option("--force-temperature", force_temperature,
                                "One temperature for every question (default: per category)")
                    ->check(CLI::Range(0.0, 2.0));
    cmd->add_option("--system-prompt", options.system_prompt, "Sent before the first turn");
    begin_opt = cmd->add_option("--question-begin", begin, "First question (index)");
    end_opt = cmd->add_option("--question-end", end, "End question (index, excluded)");
  }

  int run() {
    options.api = api.client();
    options.retry = api.retry();
    if (*force_opt) options.force_temperature = force_temperature;
    if (*begin_opt) options.question_begin = begin;
    if (*end_opt) options.question_end = end;
    const auto s = generate_answers(options);
    std::cerr << "gen-answer: " << s.answered << " answered, " << s.skipped << " skipped, "
              << s.failed << " failed\n";
    return s.failed == 0 ? 0 : 1;
  }
};

struct GenJudgmentCommand {
  CLI::App* cmd = nullptr;
  GenJudgmentOptions options;
  ApiFlags api;
  std::string mode = "single";
  size_t first_n = 0;
  CLI::Option* first_n_opt = nullptr;

  void add(CLI::App& app) {
    cmd = app.add_subcommand("gen-judgment", "A judge model's verdicts on the answers");
    cmd->add_option("--bench-dir", options.bench_dir, "Bench folder")->required();
    cmd->add_option("--judge-model", options.judge_model, "Judge model name")
        ->capture_default_str();
    api.add(*cmd, "judge-");
    add_mode(*cmd, mode);
    cmd->add_option("--baseline-model", options.baseline_model, "pairwise-baseline's baseline")
        ->capture_default_str();
    cmd->add_option("--model-list", options.model_list,
                    "Models to judge (default: every file of model_answer/)");
    cmd->add_option("--judge-file", options.judge_file,
                    "FastChat's judge_prompts.jsonl (default: built-in prompts)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--reference-model", options.reference_model,
                    "Reference answers from reference_answer/NAME.jsonl (default: the judge "
                    "model's)");
    cmd->add_option("--output-file", options.output_file,
                    "Default: BENCH_DIR/model_judgment/JUDGE_{single,pair}.jsonl");
    first_n_opt = cmd->add_option("--first-n", first_n, "Only the first N questions");
    cmd->add_option("--parallel", options.parallel, "Judge calls in flight")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    cmd->add_flag("--yes,-y", options.yes, "Do not ask for confirmation");
  }

  int run() {
    options.api = api.client();
    options.retry = api.retry();
    options.mode = parse_judge_mode(mode);
    if (*first_n_opt) options.first_n = first_n;
    const auto s = generate_judgments(options, std::cin, std::cout);
    if (!s.confirmed) return 1;
    std::cerr << "gen-judgment: " << s.judged << " judged, " << s.skipped << " skipped, "
              << s.failed << " failed\n";
    return s.failed == 0 ? 0 : 1;
  }
};

struct ShowResultCommand {
  CLI::App* cmd = nullptr;
  ShowResultOptions options;
  std::string mode = "single";

  void add(CLI::App& app) {
    cmd = app.add_subcommand("show-result", "FastChat's result tables");
    cmd->add_option("--bench-dir", options.bench_dir, "Bench folder");
    cmd->add_option("--input-file", options.input_file, "A judgment file (instead of the bench's)");
    cmd->add_option("--judge-model", options.judge_model, "Judge model name")
        ->capture_default_str();
    add_mode(*cmd, mode);
    cmd->add_option("--baseline-model", options.baseline_model, "pairwise-baseline's baseline")
        ->capture_default_str();
    cmd->add_option("--model-list", options.model_list, "Only these models");
    cmd->add_option("--csv", options.csv_file, "Also write the table as CSV to this file");
    cmd->add_option("--json", options.json_file, "Also write the table as JSON to this file");
    cmd->add_option("--svg", options.svg_file,
                    "Also draw a bar chart (SVG): single, score per category and model; "
                    "pairwise, each model's rates");
    cmd->add_option("--question-file", options.question_file,
                    "Categories for the per-category scores (default: BENCH_DIR/question.jsonl)");
  }

  int run() {
    options.mode = parse_judge_mode(mode);
    if (options.input_file.empty() && options.bench_dir.empty()) {
      std::cerr << "fastchat-judge show-result: give --bench-dir or --input-file\n";
      return 2;
    }
    show_results(options, std::cout);
    return 0;
  }
};

struct AgreementCommand {
  CLI::App* cmd = nullptr;
  std::vector<std::filesystem::path> files;
  std::vector<std::string> judges{"gpt4-pair", "human"};
  std::filesystem::path json_file;

  void add(CLI::App& app) {
    cmd = app.add_subcommand("agreement",
                             "How often two judges agree (FastChat's compute_agreement.py)");
    cmd->add_option("--votefiles", files,
                    "FastChat's human-judgment JSON files and/or *_pair.jsonl judgment files")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--judges", judges,
                    "The two judges: gpt4-pair, human, author, or JUDGE-pair for another judge "
                    "model's pair judgments; the same twice compares a judge with itself")
        ->expected(2)
        ->capture_default_str();
    cmd->add_option("--json", json_file, "Also write the table as JSON to this file");
  }

  int run() {
    std::vector<Vote> votes;
    for (const auto& file : files) {
      auto more = load_votes(file);
      votes.insert(votes.end(), more.begin(), more.end());
    }
    const auto rows = compute_agreement(votes, judges[0], judges[1]);
    std::cout << to_markdown(rows, judges[0], judges[1]);
    if (json_file.empty()) return 0;
    std::ofstream out(json_file, std::ios::binary | std::ios::trunc);
    out << to_json(rows).dump(2) << "\n";
    if (out.flush()) return 0;
    std::cerr << "fastchat-judge: cannot write " << json_file << "\n";
    return 1;
  }
};

}  // namespace

int main(int argc, char** argv) {
  // Logs (retries, dropped lines, failed jobs) go to stderr: stdout carries the plan and tables.
  spdlog::set_default_logger(spdlog::stderr_color_mt("fastchat-judge"));
  CLI::App app{
      "fastchat-judge: MT-Bench answers, LLM-as-a-judge verdicts and result tables, "
      "in FastChat's llm_judge file formats"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  GenAnswerCommand gen_answer;
  GenJudgmentCommand gen_judgment;
  ShowResultCommand show_result;
  AgreementCommand agreement;
  gen_answer.add(app);
  gen_judgment.add(app);
  show_result.add(app);
  agreement.add(app);
  return fastchat::process::run_program(app, argc, argv, "fastchat-judge", log_level, [&] {
    if (*gen_answer.cmd) return gen_answer.run();
    if (*gen_judgment.cmd) return gen_judgment.run();
    if (*show_result.cmd) return show_result.run();
    return agreement.run();
  });
}
