#pragma once
// gen-judgment: a strong model judges the answers of model_answer/ as FastChat's
// gen_judgment.py does, writing model_judgment/<judge>_single.jsonl or <judge>_pair.jsonl.
// Matches already in the output file are skipped (FastChat's script would judge them again),
// and the number of judge calls is shown for confirmation before any is made.

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "client/openai_client.h"
#include "judge/chat_caller.h"
#include "judge/match.h"
#include "judge/match_judge.h"

namespace fastchat::judge {

struct GenJudgmentOptions {
  std::filesystem::path bench_dir;
  std::string judge_model = "gpt-4";
  client::OpenAiClientOptions api;
  RetryPolicy retry;
  JudgeMode mode = JudgeMode::Single;
  std::string baseline_model = "gpt-3.5-turbo";
  std::vector<std::string> model_list;  ///< empty: every model of model_answer/
  std::filesystem::path judge_file;     ///< empty: the built-in prompts
  std::string reference_model;          ///< reference_answer/<this>.jsonl; empty: judge_model
  std::filesystem::path output_file;    ///< empty: model_judgment/<judge>_{single,pair}.jsonl
  std::optional<size_t> first_n;
  int parallel = 1;
  int max_tokens = kJudgeMaxTokens;
  bool yes = false;  ///< skip the confirmation
};

struct GenJudgmentSummary {
  size_t matches = 0;
  size_t skipped = 0;  ///< judged by an earlier run
  size_t judged = 0;
  size_t failed = 0;
  bool confirmed = true;
};

/// Runs gen-judgment. The plan (models, matches, judge calls) goes to `out`; the confirmation
/// is read from `in` (an empty line confirms; end of input declines).
GenJudgmentSummary generate_judgments(const GenJudgmentOptions& options, std::istream& in,
                                      std::ostream& out);

/// The default output file of a mode: <bench>/model_judgment/<judge>_single.jsonl or _pair.
std::filesystem::path judgment_file(const std::filesystem::path& bench_dir,
                                    const std::string& judge_model, JudgeMode mode);

}  // namespace fastchat::judge
