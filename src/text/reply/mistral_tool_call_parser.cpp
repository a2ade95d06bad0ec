#include "text/reply/mistral_tool_call_parser.h"

#include "text/reply/tool_call_json.h"

namespace fastchat::reply {
namespace {

constexpr std::string_view kMarker = "[TOOL_CALLS]";
constexpr std::string_view kArgsMarker = "[ARGS]";
constexpr std::string_view kWhitespace = " \t\r\n";

std::size_t skip_whitespace(std::string_view text, std::size_t pos) {
  const std::size_t next = text.find_first_not_of(kWhitespace, pos);
  return next == std::string_view::npos ? text.size() : next;
}

// [{"name": ..., "arguments": ...}, ...] at text[pos]; returns the position after it, or npos.
std::size_t parse_call_array(std::string_view text, std::size_t pos, std::vector<ToolCall>& calls) {
  const std::size_t end = json_value_end(text, pos);
  if (end == std::string_view::npos) return end;
  const std::optional<nlohmann::ordered_json> json = parse_json(text.substr(pos, end - pos));
  if (!json || !json->is_array()) return std::string_view::npos;
  for (const nlohmann::ordered_json& element : *json) {
    std::optional<ToolCall> call = tool_call_from_json(element);
    if (!call) return std::string_view::npos;
    calls.push_back(std::move(*call));
  }
  return end;
}

// name[ARGS]{...} at text[pos]; returns the position after it, or npos.
std::size_t parse_named_call(std::string_view text, std::size_t pos, std::vector<ToolCall>& calls) {
  const std::size_t args = text.find(kArgsMarker, pos);
  if (args == std::string_view::npos) return args;
  const std::string_view name = trim_whitespace(text.substr(pos, args - pos));
  if (name.empty() || name.find_first_of(" \t\r\n[]{}\"") != std::string_view::npos) {
    return std::string_view::npos;
  }
  const std::size_t start = skip_whitespace(text, args + kArgsMarker.size());
  const std::size_t end = json_value_end(text, start);
  if (end == std::string_view::npos || text[start] != '{') return std::string_view::npos;
  const std::optional<nlohmann::ordered_json> json = parse_json(text.substr(start, end - start));
  if (!json) return std::string_view::npos;
  calls.push_back(ToolCall{std::string(name), *arguments_text(*json)});
  return end;
}

}  // namespace

ToolCallSplit MistralToolCallParser::push(std::string_view text) {
  ToolCallSplit out;
  if (in_calls_) {
    calls_text_.append(text);
    return out;
  }
  MarkerScanner::Scan scan = marker_.push(text);
  out.content = std::move(scan.before);
  if (scan.found) {
    in_calls_ = true;
    calls_text_ = std::move(scan.after);
  }
  return out;
}

ToolCallSplit MistralToolCallParser::finish() {
  ToolCallSplit out;
  if (!in_calls_) {
    out.content = marker_.finish();
    return out;
  }
  std::optional<std::vector<ToolCall>> calls = parse_mistral_calls(calls_text_);
  if (calls) {
    out.calls = std::move(*calls);
  } else {
    out.content.append(kMarker).append(calls_text_);
  }
  calls_text_.clear();
  in_calls_ = false;
  return out;
}

std::optional<std::vector<ToolCall>> parse_mistral_calls(std::string_view text) {
  std::vector<ToolCall> calls;
  std::size_t pos = skip_whitespace(text, 0);
  while (pos < text.size()) {
    pos =
        text[pos] == '[' ? parse_call_array(text, pos, calls) : parse_named_call(text, pos, calls);
    if (pos == std::string_view::npos) return std::nullopt;
    pos = skip_whitespace(text, pos);
    if (pos == text.size()) break;
    // Newer tokenizers put the marker before each call.
    if (!text.substr(pos).starts_with(kMarker)) return std::nullopt;
    pos = skip_whitespace(text, pos + kMarker.size());
  }
  if (calls.empty()) return std::nullopt;
  return calls;
}

}  // namespace fastchat::reply
