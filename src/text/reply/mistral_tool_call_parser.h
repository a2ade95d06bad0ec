#pragma once
// Tool calls as Mistral models write them after their [TOOL_CALLS] token, in one of two forms:
//   [TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris"}}, ...]   (tokenizer v3)
//   [TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]...              (v11 and later)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/reply/marker_scanner.h"
#include "text/reply/tool_call_parser.h"

namespace fastchat::reply {

/// Text before the first [TOOL_CALLS] streams as content (but for a tail that may start the
/// marker); everything from the marker on is held until finish() and parsed there. If it is
/// not a list of calls, it is returned as content, marker included.
class MistralToolCallParser : public ToolCallParser {
 public:
  ToolCallSplit push(std::string_view text) override;
  ToolCallSplit finish() override;

 private:
  MarkerScanner marker_{"[TOOL_CALLS]"};
  bool in_calls_ = false;
  std::string calls_text_;  // what followed the first marker
};

/// The calls in `text`, the output after its first [TOOL_CALLS]; nullopt when it is anything
/// else (or holds no call).
std::optional<std::vector<ToolCall>> parse_mistral_calls(std::string_view text);

}  // namespace fastchat::reply
