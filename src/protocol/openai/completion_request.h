#pragma once
// POST /v1/completions (the legacy text completion API): the request body parsed and validated.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/openai/generation_options.h"

namespace fastchat::openai {

/// Most prompts in one request: each prompt x n is a separate generation, so an unbounded list
/// would let one request occupy every worker.
inline constexpr std::size_t kMaxPrompts = 256;

struct CompletionRequest {
  std::string model;
  /// One entry per prompt; `prompt` given as a string is a list of one. Never empty.
  std::vector<std::string> prompts;
  bool echo = false;
  /// sampling.max_tokens defaults to 16 (OpenAI); sampling.logprobs equals `logprobs`.
  GenerationOptions options;
  int logprobs = -1;  ///< -1: none; 0..20 alternatives per token (OpenAI allows up to 5)
};

/// Parses a completion body. Throws ErrorException{InvalidRequest} naming the first bad field.
/// Refused because they would silently change the answer: token-id prompts (the API server has no
/// tokenizer), a non-empty `suffix`, `best_of` > 1, `use_beam_search` (a FastChat extension), and
/// `echo` together with `logprobs` (needs prompt-token logprobs, which the workers do not compute).
CompletionRequest parse_completion_request(std::string_view body);

}  // namespace fastchat::openai
