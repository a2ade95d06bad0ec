#pragma once
// Tool calls in Hermes markup, as Qwen2.5, Qwen3 and the Hermes models write them:
//   <tool_call>
//   {"name": "get_weather", "arguments": {"city": "Paris"}}
//   </tool_call>

#include <string>
#include <string_view>

#include "text/reply/marker_scanner.h"
#include "text/reply/tool_call_parser.h"

namespace fastchat::reply {

/// Text outside <tool_call> ... </tool_call> streams as content at once (but for a tail that may
/// start the tag); a call is reported when its closing tag arrives. Whitespace between and after
/// calls is layout and is dropped, while other text there stays content. A call whose JSON does
/// not parse or lacks a string "name", or one never closed, comes back as content with its
/// markup, where it stood.
class HermesToolCallParser : public ToolCallParser {
 public:
  ToolCallSplit push(std::string_view text) override;
  ToolCallSplit finish() override;

 private:
  void add_text(std::string_view text, ToolCallSplit& out);
  // Ends the call whose closing tag starts at body_[close]; returns the text after the tag.
  std::string close_call(std::size_t close, ToolCallSplit& out);

  MarkerScanner opening_{"<tool_call>"};
  bool in_call_ = false;
  std::string body_;  // text of the open call so far
  // Since the last valid call only whitespace came (held_whitespace_): dropped if another call
  // or the end follows, content if other text does.
  bool after_call_ = false;
  std::string held_whitespace_;
};

}  // namespace fastchat::reply
