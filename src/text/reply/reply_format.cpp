#include "text/reply/reply_format.h"

#include <array>
#include <string>
#include <utility>

#include "common/error/error.h"

namespace fastchat::reply {
namespace {

constexpr std::array<std::pair<std::string_view, ToolCallFormat>, 5> kToolCallFormatNames = {{
    {"none", ToolCallFormat::None},
    {"hermes", ToolCallFormat::Hermes},
    {"llama3_json", ToolCallFormat::Llama3Json},
    {"mistral", ToolCallFormat::Mistral},
    {"deepseek_v3", ToolCallFormat::DeepSeekV3},
}};

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

std::optional<ToolCallFormat> parse_tool_call_format(std::string_view name) {
  if (name == "auto") return std::nullopt;
  for (const auto& [known, format] : kToolCallFormatNames) {
    if (name == known) return format;
  }
  throw_error(ErrorCode::InvalidConfig,
              "tool-call format '" + std::string(name) +
                  "' is not one of auto, none, hermes, llama3_json, mistral, deepseek_v3");
}

std::string_view to_string(ToolCallFormat format) {
  for (const auto& [name, known] : kToolCallFormatNames) {
    if (format == known) return name;
  }
  return "none";
}

std::optional<ReasoningFormat> parse_reasoning_format(std::string_view name) {
  if (name == "auto") return std::nullopt;
  if (name == "none") return ReasoningFormat::None;
  if (name == "think") return ReasoningFormat::Think;
  throw_error(ErrorCode::InvalidConfig,
              "reasoning format '" + std::string(name) + "' is not one of auto, none, think");
}

std::string_view to_string(ReasoningFormat format) {
  return format == ReasoningFormat::Think ? "think" : "none";
}

ToolCallFormat detect_tool_call_format(std::string_view template_source) {
  if (contains(template_source, "<tool_call>")) return ToolCallFormat::Hermes;
  if (contains(template_source, "[TOOL_CALLS]")) return ToolCallFormat::Mistral;
  if (contains(template_source, "<｜tool▁calls▁begin｜>")) return ToolCallFormat::DeepSeekV3;
  // Llama 3.1-3.3's official templates ask for `{"name": function name, "parameters":
  // dictionary of argument name and its value}`; some variants only mention the python tag.
  if (contains(template_source, "<|python_tag|>") ||
      contains(template_source, "\"parameters\": dictionary")) {
    return ToolCallFormat::Llama3Json;
  }
  return ToolCallFormat::None;
}

ReasoningFormat detect_reasoning_format(std::string_view template_source) {
  return contains(template_source, "</think>") ? ReasoningFormat::Think : ReasoningFormat::None;
}

bool prompt_opens_thinking(std::string_view rendered_prompt) {
  const std::size_t open = rendered_prompt.rfind("<think>");
  if (open == std::string_view::npos) return false;
  const std::size_t close = rendered_prompt.rfind("</think>");
  return close == std::string_view::npos || open > close;
}

}  // namespace fastchat::reply
