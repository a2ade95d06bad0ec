#pragma once
// The chunks of one streamed answer, rendered as server-sent events. Every chunk repeats the
// same envelope (id, object, created, model), so it is rendered once per stream and each chunk
// costs a few appends: a stream of N tokens is N of these, on the relay's hot path.

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/openai/stream_types.h"

namespace fastchat::openai {

class ChunkEncoder {
 public:
  /// `chat`: chat.completion.chunk shapes, else text_completion ones. `with_logprobs`: the
  /// client asked for logprobs (sent for chunks whose delta carries tokens).
  ChunkEncoder(bool chat, std::string_view id, int64_t created, std::string_view model,
               bool with_logprobs);

  /// "data: <chunk>\n\n". Chat: {id, object, created, model, choices: [{index, delta, logprobs,
  /// finish_reason}]}, delta being {role: "assistant", content} on the first chunk, {content}
  /// after and {} on a finish chunk without text, with reasoning_content when the delta has
  /// reasoning; a tool-call piece is {tool_calls: [piece]} (role and content null first).
  /// Completions: choices: [{index, text, logprobs, finish_reason}], where `text_offset` is the
  /// length in code points (utf8_length) of the text already sent for this choice, so that the
  /// logprobs' text_offset continues across chunks. logprobs is null unless asked for and the delta
  /// carries tokens.
  std::string event(const ChoiceDelta& delta, std::size_t text_offset = 0) const;

 private:
  bool chat_;
  bool with_logprobs_;
  std::string head_;  // up to the first choice's index
};

}  // namespace fastchat::openai
