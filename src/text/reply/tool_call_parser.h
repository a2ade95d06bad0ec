#pragma once
// The common shape of the tool-call formats: each takes the answer text (reasoning already
// split off) as it streams, and returns the text that stays content and the calls it found.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/reply/reply_format.h"

namespace fastchat::reply {

/// One complete call, before it gets an id and an index.
struct ToolCall {
  std::string name;
  std::string arguments;  ///< a JSON text, as OpenAI's `function.arguments`

  bool operator==(const ToolCall&) const = default;
};

struct ToolCallSplit {
  std::string content;
  std::vector<ToolCall> calls;
};

/// A format's parser. Text the model wrote is never lost: markup that turns out not to be a
/// valid call comes back as content.
class ToolCallParser {
 public:
  virtual ~ToolCallParser() = default;
  virtual ToolCallSplit push(std::string_view text) = 0;
  /// End of output: releases what was held back, parsing calls that could only be judged whole.
  virtual ToolCallSplit finish() = 0;
};

/// The parser of `format`; nullptr for ToolCallFormat::None (all text is content).
std::unique_ptr<ToolCallParser> make_tool_call_parser(ToolCallFormat format);

}  // namespace fastchat::reply
