#pragma once
// Splits a chat model's streamed output into OpenAI's three parts of an answer: content,
// reasoning_content and tool_calls.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/generate_delta.h"
#include "text/reply/reasoning_splitter.h"
#include "text/reply/reply_format.h"
#include "text/reply/tool_call_parser.h"

namespace fastchat::reply {

/// What one push() or finish() adds to the answer.
struct ReplyDelta {
  std::string content;
  std::string reasoning;
  std::vector<protocol::ToolCallDelta> tool_calls;

  bool empty() const { return content.empty() && reasoning.empty() && tool_calls.empty(); }
};

struct ReplyOptions {
  ToolCallFormat tool_calls = ToolCallFormat::None;  ///< None: tool-call markup is plain content
  ReasoningFormat reasoning = ReasoningFormat::None;
  bool starts_in_reasoning = false;  ///< prompt_opens_thinking(rendered prompt)
  bool parallel_tool_calls = true;   ///< false: only the first call is reported, later ones dropped
};

/// Incremental: push() the text of each generated delta as it arrives, then finish() once.
/// Reasoning is split off first (ReasoningSplitter); the rest goes through the tool-call format.
/// No part of a marker is ever emitted as content or reasoning: text that could be the start of
/// one is held back until it is known, so the parts come out the same however the text was
/// split.
///
/// Each call streams as OpenAI streams it: a delta {index, id, name, arguments ""} and then one
/// {index, arguments} with the whole arguments JSON text; indices count 0, 1, 2, ... per answer.
class ReplyParser {
 public:
  explicit ReplyParser(ReplyOptions options);

  ReplyDelta push(std::string_view text);
  /// End of output: flushes what was held back and parses calls that could only be judged whole.
  ReplyDelta finish();

  /// At least one call was reported (the answer's finish_reason is then "tool_calls").
  bool made_tool_calls() const { return next_index_ > 0; }

 private:
  void add_answer(std::string_view text, bool at_end, ReplyDelta& out);
  void add_calls(std::vector<ToolCall> calls, ReplyDelta& out);

  ReplyOptions options_;
  ReasoningSplitter reasoning_;
  std::unique_ptr<ToolCallParser> tool_calls_;  // null: no tool-call format
  int32_t next_index_ = 0;
};

}  // namespace fastchat::reply
