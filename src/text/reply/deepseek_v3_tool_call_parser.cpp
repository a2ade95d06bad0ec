#include "text/reply/deepseek_v3_tool_call_parser.h"

#include "text/reply/tool_call_json.h"

namespace fastchat::reply {
namespace {

constexpr std::string_view kCallsBegin = "<｜tool▁calls▁begin｜>";
constexpr std::string_view kCallsEnd = "<｜tool▁calls▁end｜>";
constexpr std::string_view kCallBegin = "<｜tool▁call▁begin｜>";
constexpr std::string_view kCallEnd = "<｜tool▁call▁end｜>";
constexpr std::string_view kSeparator = "<｜tool▁sep｜>";

// One call's text between kCallBegin and kCallEnd: "function<sep>NAME\n```json\nARGS\n```".
std::optional<ToolCall> parse_call(std::string_view text) {
  const std::size_t sep = text.find(kSeparator);
  if (sep == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(sep + kSeparator.size());
  const std::size_t newline = rest.find('\n');
  const std::string_view name = trim_whitespace(rest.substr(0, newline));
  if (name.empty() || newline == std::string_view::npos) return std::nullopt;
  std::string_view arguments = trim_whitespace(rest.substr(newline + 1));
  if (arguments.starts_with("```")) {
    const std::size_t line_end = arguments.find('\n');
    if (line_end == std::string_view::npos || !arguments.ends_with("```")) return std::nullopt;
    arguments = trim_whitespace(arguments.substr(line_end + 1, arguments.size() - line_end - 4));
  }
  const auto json = parse_json(arguments);
  const auto text_of_arguments = json ? arguments_text(*json) : std::nullopt;
  if (!text_of_arguments) return std::nullopt;
  return ToolCall{std::string(name), *text_of_arguments};
}

}  // namespace

DeepSeekV3ToolCallParser::DeepSeekV3ToolCallParser() : opening_(std::string(kCallsBegin)) {}

ToolCallSplit DeepSeekV3ToolCallParser::push(std::string_view text) {
  ToolCallSplit out;
  if (!in_calls_) {
    MarkerScanner::Scan scan = opening_.push(text);
    out.content = std::move(scan.before);
    if (!scan.found) return out;
    in_calls_ = true;
    text = {};
    calls_ = std::move(scan.after);
  }
  if (failed_ || closed_) {
    out.content.append(text);
    return out;
  }
  calls_.append(text);
  take_calls(out);
  return out;
}

bool DeepSeekV3ToolCallParser::take_calls(ToolCallSplit& out) {
  while (true) {
    const std::string_view pending = trim_whitespace(calls_);
    if (pending.starts_with(kCallsEnd)) {
      closed_ = true;
      out.content.append(pending.substr(kCallsEnd.size()));
      calls_.clear();
      return true;
    }
    const std::size_t end = calls_.find(kCallEnd);
    if (end == std::string::npos) return true;  // the next call is not complete yet
    const std::string_view call = trim_whitespace(std::string_view(calls_).substr(0, end));
    std::optional<ToolCall> parsed;
    if (call.starts_with(kCallBegin)) parsed = parse_call(call.substr(kCallBegin.size()));
    if (!parsed) {
      failed_ = true;
      out.content.append(kCallsBegin).append(calls_);
      calls_.clear();
      return false;
    }
    out.calls.push_back(std::move(*parsed));
    calls_.erase(0, end + kCallEnd.size());
  }
}

ToolCallSplit DeepSeekV3ToolCallParser::finish() {
  ToolCallSplit out;
  if (!in_calls_) {
    out.content = opening_.finish();
  } else if (!failed_ && !closed_ && !trim_whitespace(calls_).empty()) {
    // The model stopped before closing its calls: what it wrote after the last whole call is
    // given back as it wrote it.
    out.content.append(calls_);
  }
  calls_.clear();
  return out;
}

}  // namespace fastchat::reply
