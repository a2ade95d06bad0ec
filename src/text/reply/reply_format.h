#pragma once
// Which markup a model uses for reasoning and tool calls, chosen by flag or guessed from the
// model's chat template.

#include <optional>
#include <string_view>

namespace fastchat::reply {

/// How a model writes tool calls in its output text.
enum class ToolCallFormat {
  None,    ///< no parsing: tool-call markup stays content
  Hermes,  ///< <tool_call>{"name": ..., "arguments": {...}}</tool_call> (Qwen2.5, Qwen3, Hermes)
  Llama3Json,  ///< the whole answer is {"name": ..., "parameters": {...}} (Llama 3.1 and later)
  Mistral,     ///< [TOOL_CALLS][{...}, ...] or [TOOL_CALLS]name[ARGS]{...}
  DeepSeekV3,  ///< <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>name ```json
               ///< ...
};

/// How a model marks its reasoning.
enum class ReasoningFormat {
  None,
  Think,  ///< <think> ... </think> (Qwen3, DeepSeek-R1, QwQ)
};

/// Parses a flag value: "auto" (nullopt: detect from the chat template), "none", "hermes",
/// "llama3_json", "mistral" or "deepseek_v3". Throws ErrorException{InvalidConfig} naming the value
/// otherwise.
std::optional<ToolCallFormat> parse_tool_call_format(std::string_view name);

/// The flag value of a format ("none", "hermes", ...).
std::string_view to_string(ToolCallFormat format);

/// Parses a flag value: "auto" (nullopt), "none" or "think". Throws like the above.
std::optional<ReasoningFormat> parse_reasoning_format(std::string_view name);

/// The flag value of a format ("none", "think").
std::string_view to_string(ReasoningFormat format);

/// Guesses the format from a Jinja chat template's source: the template tells the model how to
/// call tools, so its markup names the format. "<tool_call>" -> Hermes, "[TOOL_CALLS]" ->
/// Mistral, "<｜tool▁calls▁begin｜>" -> DeepSeekV3, "<|python_tag|>" or the Llama 3.1+
/// instruction `"parameters": dictionary` -> Llama3Json, anything else None.
ToolCallFormat detect_tool_call_format(std::string_view template_source);

/// Think when the template mentions "</think>" (it strips or re-renders past reasoning), else None.
ReasoningFormat detect_reasoning_format(std::string_view template_source);

/// True when the rendered prompt leaves the model inside a thinking block: its last "<think>"
/// comes after its last "</think>". DeepSeek-R1 style templates end the prompt with "<think>\n",
/// so the output then starts with reasoning and carries only the closing tag.
bool prompt_opens_thinking(std::string_view rendered_prompt);

}  // namespace fastchat::reply
