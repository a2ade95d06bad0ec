#pragma once
// POST /v1/chat/completions: the request body parsed and validated into a typed request.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/chat_message.h"
#include "protocol/openai/generation_options.h"

namespace fastchat::openai {

struct ChatCompletionRequest {
  std::string model;
  /// Empty when `raw_prompt` is set.
  std::vector<protocol::ChatMessage> messages;
  /// `messages` given as a plain string: FastChat passes it through untemplated
  /// (get_gen_params in fastchat/serve/openai_api_server.py, github.com/lm-sys/FastChat).
  std::optional<std::string> raw_prompt;
  /// sampling.max_tokens is kUnboundedMaxTokens unless the client set it (max_tokens_set).
  /// sampling.logprobs is top_logprobs when logprobs is true, else -1.
  GenerationOptions options;
  bool logprobs = false;
  int top_logprobs = 0;  ///< [0, 20]; only with logprobs
  /// The tools for the template (protocol::validate_tools), null when none are offered or
  /// tool_choice is "none": such a request is answered with text.
  nlohmann::ordered_json tools = nullptr;
  bool parallel_tool_calls = true;
  /// protocol::validate_template_kwargs; an empty object when not given.
  nlohmann::ordered_json chat_template_kwargs = nlohmann::ordered_json::object();
};

/// Which chat API a body is for: OpenAI's /v1/chat/completions, or FastChat's own
/// /api/v1/chat/completions (fastchat/protocol/api_protocol.py on github.com/lm-sys/FastChat),
/// whose message content is a string only and whose temperature defaults to 0.7.
enum class ChatDialect { OpenAi, FastChat };

/// Parses a chat completion body. Throws ErrorException{InvalidRequest} naming the first bad field
/// (param = field name or JSON path such as "messages[1].content"), including for features this
/// server does not implement and would otherwise silently ignore: the legacy `functions` and
/// `function_call`, tool_choice "required" or a named function (forcing a call needs
/// constrained decoding), and response_format other than {"type": "text"}.
ChatCompletionRequest parse_chat_completion_request(std::string_view body,
                                                    ChatDialect dialect = ChatDialect::OpenAi);

}  // namespace fastchat::openai
