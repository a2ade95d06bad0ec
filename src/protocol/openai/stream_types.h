#pragma once
// Upstream-neutral results the API server feeds into the response builders: whatever the worker
// protocol looks like, the server turns it into these plain values first.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/generate_delta.h"

namespace fastchat::openai {

/// One generated token with its logprob and the requested alternatives (token text, logprob):
/// the worker protocol's value, used as is.
using TokenLogprob = protocol::TokenLogprob;

/// Token counts of a request (summed over its choices by the caller).
struct Usage {
  int prompt_tokens = 0;
  int completion_tokens = 0;

  int total_tokens() const { return prompt_tokens + completion_tokens; }
};

/// A tool call as the worker reports it: whole in a ChoiceResult, a piece in a ChoiceDelta.
using ToolCallDelta = protocol::ToolCallDelta;

/// A finished choice of a non-streamed answer.
/// finish_reason must already be OpenAI's "stop", "length" or "tool_calls": mapping a worker's
/// other reasons ("abort", "error") is the caller's job, as those usually become an error
/// response instead.
struct ChoiceResult {
  int index = 0;
  std::string text;
  std::string finish_reason;
  /// nullopt: the client did not ask for logprobs ("logprobs": null).
  std::optional<std::vector<TokenLogprob>> logprobs;
  std::string reasoning{};                  ///< chat: message.reasoning_content when not empty
  std::vector<ToolCallDelta> tool_calls{};  ///< chat: whole calls, in index order
};

/// A piece of one choice of a streamed answer. finish_reason, when set, is "stop", "length" or
/// "tool_calls" (see ChoiceResult).
struct ChoiceDelta {
  int index = 0;
  std::string text;
  std::vector<TokenLogprob> logprobs;
  std::optional<std::string> finish_reason;
  bool first = false;       ///< chat: the choice's first chunk carries role "assistant"
  std::string reasoning{};  ///< chat: delta.reasoning_content
  std::optional<ToolCallDelta> tool_call{};  ///< chat: one piece of one call per chunk
};

}  // namespace fastchat::openai
