#pragma once
// Builders of the OpenAI API's response bodies from plain values. No HTTP here: the server picks
// the status (http_status) and framing (sse.h); these functions only fix the JSON shapes, which
// clients depend on field by field, as the OpenAI API reference (platform.openai.com/docs/
// api-reference/chat) defines them. Measured against the OpenAI Node SDK and LangChain.js
// (tests/clients/openai_client_test.mjs runs them): the SDK's stream helper
// (chat.completions.stream) fails without choices[].index or without role "assistant" on the first
// delta; LangChain's .stream() asks for stream_options.include_usage by default and reads usage
// from a last chunk whose `choices` is [].

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error/error.h"
#include "protocol/openai/stream_types.h"

namespace fastchat::openai {

inline constexpr std::string_view kChatCompletionObject = "chat.completion";
inline constexpr std::string_view kChatCompletionChunkObject = "chat.completion.chunk";
/// Completions use the same object name for whole answers and chunks.
inline constexpr std::string_view kTextCompletionObject = "text_completion";

/// {id, object: "chat.completion", created, model, choices: [{index, message: {role: "assistant",
/// content, reasoning_content?, tool_calls?}, logprobs: null | {content: [...]}, finish_reason}],
/// usage}. content is null when the turn only calls tools; reasoning_content and tool_calls are
/// there when not empty.
nlohmann::json chat_completion(std::string_view id, int64_t created, std::string_view model,
                               const std::vector<ChoiceResult>& choices, const Usage& usage);

/// {id, object: "text_completion", created, model, choices: [{index, text, logprobs: null |
/// {tokens, token_logprobs, top_logprobs, text_offset}, finish_reason}], usage}.
nlohmann::json completion(std::string_view id, int64_t created, std::string_view model,
                          const std::vector<ChoiceResult>& choices, const Usage& usage);

/// Stream chunks are rendered by ChunkEncoder (chunk_encoder.h).

/// The last chunk of a stream with stream_options.include_usage: {id, object, created, model,
/// choices: [], usage}. object_name is kChatCompletionChunkObject or kTextCompletionObject.
nlohmann::json usage_chunk(std::string_view id, int64_t created, std::string_view model,
                           std::string_view object_name, const Usage& usage);

/// A tool call: whole, {id, type: "function", function: {name, arguments}}; as a stream piece,
/// {index, id?, type?, function: {name?, arguments}} with id, type and name on a call's first
/// piece only.
nlohmann::json tool_call_json(const ToolCallDelta& call, bool whole);

/// {prompt_tokens, completion_tokens, total_tokens}.
nlohmann::json usage_json(const Usage& usage);

/// GET /v1/models: {object: "list", data: [{id, object: "model", created, owned_by: "fastchat"}]}.
nlohmann::json model_list(const std::vector<std::string>& names, int64_t created);

/// {"error": {message, type, param (null when empty), code}}, the envelope the OpenAI SDKs read.
/// type is error_type(code), except ContextLengthExceeded whose type is "invalid_request_error"
/// as in OpenAI. code is the specific reason: "context_length_exceeded", "model_not_found"
/// (NotFound with param "model"), "invalid_api_key" (Unauthorized), else error_type(code).
nlohmann::json error_body(const Error& error);

/// prefix + 24 random alphanumerics ("chatcmpl-...", "cmpl-..."); safe to call from any thread.
std::string make_id(std::string_view prefix);

}  // namespace fastchat::openai
