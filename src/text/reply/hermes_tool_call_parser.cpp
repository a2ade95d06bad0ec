#include "text/reply/hermes_tool_call_parser.h"

#include <algorithm>

#include "text/reply/tool_call_json.h"

namespace fastchat::reply {
namespace {

constexpr std::string_view kOpenTag = "<tool_call>";
constexpr std::string_view kCloseTag = "</tool_call>";

}  // namespace

ToolCallSplit HermesToolCallParser::push(std::string_view text) {
  ToolCallSplit out;
  std::string pending(text);
  while (true) {
    if (!in_call_) {
      MarkerScanner::Scan scan = opening_.push(pending);
      add_text(scan.before, out);
      if (!scan.found) return out;
      held_whitespace_.clear();
      in_call_ = true;
      pending = std::move(scan.after);
    }
    // The closing tag may straddle the previous push and this one.
    const std::size_t search_from = body_.size() - std::min(body_.size(), kCloseTag.size() - 1);
    body_ += pending;
    const std::size_t close = body_.find(kCloseTag, search_from);
    if (close == std::string::npos) return out;
    pending = close_call(close, out);
  }
}

std::string HermesToolCallParser::close_call(std::size_t close, ToolCallSplit& out) {
  std::string rest = body_.substr(close + kCloseTag.size());
  body_.resize(close);
  in_call_ = false;
  const std::optional<nlohmann::ordered_json> json = parse_json(trim_whitespace(body_));
  std::optional<ToolCall> call = json ? tool_call_from_json(*json) : std::nullopt;
  if (call) {
    out.calls.push_back(std::move(*call));
  } else {
    out.content.append(kOpenTag).append(body_).append(kCloseTag);
  }
  after_call_ = call.has_value();
  body_.clear();
  return rest;
}

void HermesToolCallParser::add_text(std::string_view text, ToolCallSplit& out) {
  if (!after_call_) {
    out.content.append(text);
    return;
  }
  held_whitespace_.append(text);
  if (trim_whitespace(held_whitespace_).empty()) return;
  out.content += held_whitespace_;
  held_whitespace_.clear();
  after_call_ = false;
}

ToolCallSplit HermesToolCallParser::finish() {
  ToolCallSplit out;
  if (in_call_) {
    // Never closed: the model stopped mid-call, so what it wrote is returned as it wrote it.
    out.content.append(kOpenTag).append(body_);
    body_.clear();
    in_call_ = false;
  } else {
    add_text(opening_.finish(), out);
  }
  held_whitespace_.clear();
  return out;
}

}  // namespace fastchat::reply
