#pragma once
// A generation request as the worker receives it, from either of its two wire protocols:
// FastChat's (/worker_generate_stream, /worker_generate: a templated `prompt`, FastChat's field
// names and defaults) and the native one fastchat-server uses (/native/generate: a prompt or
// chat messages, OpenAI's field names, only deltas streamed back). Parsed and validated once,
// here; the worker's handlers only see the typed result. Torch-free.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/chat_message.h"
#include "protocol/sampling_params.h"

namespace fastchat::protocol {

struct GenerateRequest {
  /// Exactly one of the two: text sent as is, or messages the worker renders with its template.
  std::optional<std::string> prompt;
  std::optional<std::vector<protocol::ChatMessage>> messages;
  /// Tools offered to the chat template (validate_tools; the client's key order); null for none.
  /// The reply is parsed for tool calls only when tools are offered.
  nlohmann::ordered_json tools = nullptr;
  /// false: at most one tool call is reported.
  bool parallel_tool_calls = true;
  /// More chat template variables (validate_template_kwargs).
  nlohmann::ordered_json chat_template_kwargs = nlohmann::ordered_json::object();
  /// stop_token_ids and stop are the client's; the worker adds its template's.
  protocol::SamplingParams sampling;
  /// The client set max_tokens: exceeding the context is its error. Otherwise max_tokens is
  /// clamped to what the context leaves.
  bool max_tokens_set = false;
  /// Prefix the output text with the prompt (FastChat's default on its worker endpoints).
  bool echo = false;
};

/// FastChat's worker fields (generate_stream in fastchat/serve/inference.py on
/// github.com/lm-sys/FastChat): prompt (required), temperature, top_p, top_k, repetition_penalty,
/// presence_penalty, frequency_penalty, max_new_tokens (default 256), stop (string or list),
/// stop_token_ids, echo (default true), logprobs (any non-null value means "the chosen token's
/// logprob"), seed. Greedy as FastChat decides it: temperature < 1e-5
/// or top_p < 1e-8. Throws ErrorException{InvalidRequest} naming the field.
GenerateRequest parse_fastchat_request(const nlohmann::json& body);

/// The native protocol: OpenAI's sampling field names (see to_native_json) plus `prompt` or
/// `messages`, `max_tokens` optional, `echo`, `logprobs` (-1..20), and with messages `tools` and
/// `chat_template_kwargs` as JSON texts (so that their key order survives any JSON library on
/// the way) and `parallel_tool_calls`. Throws like the above.
GenerateRequest parse_native_request(const nlohmann::json& body);

/// The request as the native protocol's JSON body (what fastchat-server sends).
nlohmann::json to_native_json(const GenerateRequest& request);

}  // namespace fastchat::protocol
