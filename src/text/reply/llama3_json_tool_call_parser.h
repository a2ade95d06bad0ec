#pragma once
// Tool calls as Llama 3.1 and later write them with JSON-based tool calling: the whole answer is
// {"name": "get_weather", "parameters": {"city": "Paris"}}, optionally after "<|python_tag|>",
// or several such objects separated by ";".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/reply/tool_call_parser.h"

namespace fastchat::reply {

/// There is no markup around the calls, so an answer is calls only if all of it is. An answer
/// that starts (after whitespace and an optional "<|python_tag|>") with "{" is held whole until
/// finish() and then parsed; if it is not a list of calls it is returned as content. Any other
/// answer is content, streamed at once.
class Llama3JsonToolCallParser : public ToolCallParser {
 public:
  ToolCallSplit push(std::string_view text) override;
  ToolCallSplit finish() override;

 private:
  enum class State { Opening, Holding, Content };
  // Leaves State::Opening once the start of text_ tells whether it may be calls.
  void decide_opening();

  State state_ = State::Opening;
  std::string text_;  // the answer so far, while not streaming it as content
};

/// The calls that `text` consists of, or nullopt when it is anything else. Unlike the marked-up
/// formats, an object needs "parameters" or "arguments" to count as a call: without markup, a
/// plain JSON answer such as {"name": "Ada"} must stay an answer.
std::optional<std::vector<ToolCall>> parse_llama3_json_calls(std::string_view text);

}  // namespace fastchat::reply
