#include "text/reply/llama3_json_tool_call_parser.h"

#include "text/reply/tool_call_json.h"

namespace fastchat::reply {
namespace {

constexpr std::string_view kPythonTag = "<|python_tag|>";
constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view skip_whitespace(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kWhitespace);
  return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

}  // namespace

void Llama3JsonToolCallParser::decide_opening() {
  std::string_view start = skip_whitespace(text_);
  if (start.starts_with(kPythonTag)) {
    start = skip_whitespace(start.substr(kPythonTag.size()));
  } else if (kPythonTag.starts_with(start)) {
    return;  // only whitespace, or part of the tag, so far
  }
  if (start.empty()) return;
  state_ = start.front() == '{' ? State::Holding : State::Content;
}

ToolCallSplit Llama3JsonToolCallParser::push(std::string_view text) {
  ToolCallSplit out;
  if (state_ == State::Content) {
    out.content = text;
    return out;
  }
  text_.append(text);
  if (state_ == State::Opening) decide_opening();
  if (state_ == State::Content) {
    out.content = std::move(text_);
    text_.clear();
  }
  return out;
}

ToolCallSplit Llama3JsonToolCallParser::finish() {
  ToolCallSplit out;
  std::optional<std::vector<ToolCall>> calls;
  if (state_ == State::Holding) calls = parse_llama3_json_calls(text_);
  if (calls) {
    out.calls = std::move(*calls);
  } else {
    out.content = std::move(text_);
  }
  text_.clear();
  state_ = State::Content;
  return out;
}

std::optional<std::vector<ToolCall>> parse_llama3_json_calls(std::string_view text) {
  text = trim_whitespace(text);
  if (text.starts_with(kPythonTag)) text = trim_whitespace(text.substr(kPythonTag.size()));
  std::vector<ToolCall> calls;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = json_value_end(text, pos);
    if (end == std::string_view::npos || text[pos] != '{') return std::nullopt;
    const std::optional<nlohmann::ordered_json> json = parse_json(text.substr(pos, end - pos));
    if (!json || (!json->contains("parameters") && !json->contains("arguments"))) {
      return std::nullopt;
    }
    std::optional<ToolCall> call = tool_call_from_json(*json);
    if (!call) return std::nullopt;
    calls.push_back(std::move(*call));
    std::string_view rest = skip_whitespace(text.substr(end));
    if (!rest.empty() && rest.front() != ';') return std::nullopt;
    if (!rest.empty()) rest = skip_whitespace(rest.substr(1));
    pos = text.size() - rest.size();
  }
  if (calls.empty()) return std::nullopt;
  return calls;
}

}  // namespace fastchat::reply
