#pragma once
// One line of the native stream: what the worker sends fastchat-server as a generation
// advances. Only new text travels (not FastChat's cumulative text), so a long answer costs
// linear bytes. The last line carries finish_reason and usage; a failure carries an Error.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error/error.h"

namespace fastchat::protocol {

struct TokenLogprob {
  std::string token;  ///< the token's text (may be a partial UTF-8 sequence, as OpenAI's)
  float logprob = 0.0f;
  std::vector<std::pair<std::string, float>> top;
};

/// A piece of one tool call the model made, as OpenAI streams it: the first piece of a call
/// carries its id and function name, later ones fragments of its arguments (a JSON text whose
/// pieces concatenate to the whole).
struct ToolCallDelta {
  int32_t index = 0;  ///< the call's position among this answer's calls
  std::string id;     ///< first piece only ("call_...")
  std::string name;   ///< first piece only
  std::string arguments;

  bool operator==(const ToolCallDelta&) const = default;
};

struct GenerateDelta {
  std::string text;       ///< answer text (content), with reasoning and tool-call markup taken out
  std::string reasoning;  ///< text the model wrote inside its thinking markers
  std::vector<ToolCallDelta> tool_calls;
  std::vector<int32_t> token_ids;
  std::vector<TokenLogprob> logprobs;        ///< one per token, when requested
  std::optional<std::string> finish_reason;  ///< "stop", "length", "tool_calls", "abort", "error"
  int32_t prompt_tokens = 0;
  int32_t completion_tokens = 0;  ///< so far
  std::optional<Error> error;

  bool is_last() const { return finish_reason.has_value() || error.has_value(); }
};

/// Compact JSON followed by '\n' (newline-delimited JSON).
std::string to_line(const GenerateDelta& delta);

/// Parses one line (without its '\n'). Throws ErrorException{UpstreamFailed} when the worker
/// sent something that is not a delta.
GenerateDelta parse_delta_line(std::string_view line);

/// Splits a byte stream into frames ended by `delimiter` ('\n' for the native stream, '\0'
/// for FastChat's), across arbitrary chunk boundaries. Empty frames are skipped, as FastChat's
/// readers do.
class FrameSplitter {
 public:
  explicit FrameSplitter(char delimiter) : delimiter_(delimiter) {}
  /// Appends data; returns the frames it completed.
  std::vector<std::string> push(std::string_view data);
  /// Bytes of an unfinished frame (so a reader can cap it).
  size_t pending() const { return buffer_.size(); }

 private:
  char delimiter_;
  std::string buffer_;
};

}  // namespace fastchat::protocol
