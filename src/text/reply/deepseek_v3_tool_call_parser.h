#pragma once
// Tool calls in DeepSeek V3's markup, as its chat template renders past calls:
//   <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather
//   ```json
//   {"city": "Paris"}
//   ```<｜tool▁call▁end｜><｜tool▁calls▁end｜>

#include <string>
#include <string_view>

#include "text/reply/marker_scanner.h"
#include "text/reply/tool_call_parser.h"

namespace fastchat::reply {

/// Text before the calls' opening marker streams as content; each call is reported when its end
/// marker arrives. A call that does not read as above (no separator, no name, arguments that
/// are not JSON) and everything after it, or calls never closed, come back as content with
/// their markup. Text after the closing marker is content.
class DeepSeekV3ToolCallParser : public ToolCallParser {
 public:
  DeepSeekV3ToolCallParser();
  ToolCallSplit push(std::string_view text) override;
  ToolCallSplit finish() override;

 private:
  /// Reports the complete calls at the front of calls_; false once one does not parse.
  bool take_calls(ToolCallSplit& out);

  MarkerScanner opening_;
  bool in_calls_ = false;
  bool failed_ = false;  // a call did not parse: the rest is content
  bool closed_ = false;  // the closing marker came: the rest is content
  std::string calls_;    // markup since the opening marker not yet reported
};

}  // namespace fastchat::reply
