#include "text/reply/reply_parser.h"

#include <utility>

#include "text/reply/tool_call_id.h"

namespace fastchat::reply {

ReplyParser::ReplyParser(ReplyOptions options)
    : options_(options),
      reasoning_(options.reasoning, options.starts_in_reasoning),
      tool_calls_(make_tool_call_parser(options.tool_calls)) {}

ReplyDelta ReplyParser::push(std::string_view text) {
  ReasoningSplit split = reasoning_.push(text);
  ReplyDelta out;
  out.reasoning = std::move(split.reasoning);
  add_answer(split.content, /*at_end=*/false, out);
  return out;
}

ReplyDelta ReplyParser::finish() {
  ReasoningSplit split = reasoning_.finish();
  ReplyDelta out;
  out.reasoning = std::move(split.reasoning);
  add_answer(split.content, /*at_end=*/true, out);
  return out;
}

void ReplyParser::add_answer(std::string_view text, bool at_end, ReplyDelta& out) {
  if (!tool_calls_) {
    out.content = text;
    return;
  }
  ToolCallSplit split = tool_calls_->push(text);
  out.content = std::move(split.content);
  add_calls(std::move(split.calls), out);
  if (!at_end) return;
  split = tool_calls_->finish();
  out.content += split.content;
  add_calls(std::move(split.calls), out);
}

void ReplyParser::add_calls(std::vector<ToolCall> calls, ReplyDelta& out) {
  for (ToolCall& call : calls) {
    if (!options_.parallel_tool_calls && next_index_ > 0) return;
    const int32_t index = next_index_++;
    out.tool_calls.push_back(
        protocol::ToolCallDelta{index, make_tool_call_id(), std::move(call.name), ""});
    out.tool_calls.push_back(protocol::ToolCallDelta{index, "", "", std::move(call.arguments)});
  }
}

}  // namespace fastchat::reply
