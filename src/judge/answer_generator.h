#pragma once
// gen-answer: a model's answers to a bench's questions through an OpenAI-compatible API, as
// FastChat's gen_api_answer.py writes them. Each question's turns are asked in one conversation
// (turn 2 sees the answer to turn 1), at FastChat's per-category temperature. Questions already
// in the answer file are skipped, so an interrupted run resumes where it stopped.

#include <filesystem>
#include <optional>
#include <string>

#include "client/openai_client.h"
#include "judge/chat_caller.h"
#include "judge/question.h"

namespace fastchat::judge {

struct GenAnswerOptions {
  std::filesystem::path bench_dir;    ///< holds question.jsonl and model_answer/
  std::filesystem::path answer_file;  ///< default: <bench_dir>/model_answer/<model>.jsonl
  std::string model;                  ///< sent as "model" and written as model_id
  client::OpenAiClientOptions api;
  RetryPolicy retry;
  int parallel = 1;
  int num_choices = 1;
  int max_tokens = 1024;
  std::optional<double> force_temperature;
  std::string system_prompt;             ///< sent first when not empty
  std::optional<size_t> question_begin;  ///< Python slice questions[begin:end]
  std::optional<size_t> question_end;
};

struct GenAnswerSummary {
  size_t questions = 0;  ///< in the slice
  size_t skipped = 0;    ///< already answered
  size_t answered = 0;
  size_t failed = 0;
};

GenAnswerSummary generate_answers(const GenAnswerOptions& options);

/// The temperature for `q`: --force-temperature, else the question's own, else its category's.
double answer_temperature(const Question& q, const std::optional<double>& force_temperature);

/// FastChat's reorg_answer_file: one line per question (the last one written), sorted by
/// question id. Rewrites through a temporary file and a rename, so a crash leaves either file.
void reorganize_answer_file(const std::filesystem::path& file);

}  // namespace fastchat::judge
