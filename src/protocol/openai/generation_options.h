#pragma once
// The request fields that /v1/chat/completions and /v1/completions share (sampling, n, stream,
// stop, ...), parsed by one function so that both endpoints apply the same rules and messages.

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "protocol/sampling_params.h"

namespace fastchat::openai {

/// Most choices (`n`) per request: each choice is a separate generation on a worker.
inline constexpr int kMaxChoices = 16;
/// OpenAI's default `max_tokens` for /v1/completions.
inline constexpr int32_t kCompletionDefaultMaxTokens = 16;
/// Chat's `max_tokens` when the client gives none: "as many as the context allows". The server
/// computes min(max_tokens, context - prompt_tokens), so this value makes that formula right for
/// both cases, and `max_tokens_set` says whether exceeding the context is the client's error.
inline constexpr int32_t kUnboundedMaxTokens = std::numeric_limits<int32_t>::max();

struct GenerationOptions {
  /// Validated against OpenAI's ranges (stricter than protocol::validate, e.g. temperature <= 2).
  /// logprobs stays -1 here: each endpoint sets it from its own `logprobs` field.
  /// stop_token_ids stay empty: they come from the model's template, not from the client.
  protocol::SamplingParams sampling;
  /// The client gave max_tokens or max_completion_tokens; otherwise sampling.max_tokens is the
  /// endpoint's default (kCompletionDefaultMaxTokens or kUnboundedMaxTokens).
  /// min_tokens is checked against max_tokens here; when the server lowers max_tokens to fit the
  /// context it must keep min_tokens <= max_tokens itself.
  bool max_tokens_set = false;
  int n = 1;
  bool stream = false;
  /// stream_options.include_usage: send a final chunk with `choices: []` and `usage`.
  bool include_usage = false;
  std::string user;
};

/// Reads the shared fields of a request object (already known to be an object). Missing or null
/// fields keep OpenAI's defaults; unknown fields are ignored. `default_max_tokens` is the
/// endpoint's default. Throws ErrorException{InvalidRequest, "'<field>' ...", "<field>"} on the
/// first bad field.
///
/// Rules beyond the per-field ranges:
///  * max_tokens and max_completion_tokens (OpenAI's newer name) are both accepted on both
///    endpoints; when both are given they must be equal, rather than one silently winning.
///  * top_k 0 and -1 both mean "off" and are stored as -1.
///  * seed may be any int64 (OpenAI allows negatives) or uint64; negatives map to their two's
///    complement uint64, so the same seed always gives the same stream.
///  * stream_options requires stream=true, as in OpenAI.
///  * response_format other than {"type": "text"} is rejected: JSON mode is not implemented and
///    ignoring it would silently return non-JSON.
GenerationOptions parse_generation_options(const nlohmann::json& body, int32_t default_max_tokens);

}  // namespace fastchat::openai
