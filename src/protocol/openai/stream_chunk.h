#pragma once
// The client's side of an OpenAI stream: one data event of a chat.completion.chunk or
// text_completion stream read into plain values (the server's side is chunk_encoder.h). Lenient
// like the OpenAI SDKs: unknown fields are ignored, missing ones stay empty.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error/error.h"
#include "protocol/openai/stream_types.h"

namespace fastchat::openai {

/// One choice's part of a chunk.
struct ChunkChoice {
  int index = 0;
  std::string text;       ///< chat: delta.content; completions: text
  std::string reasoning;  ///< chat: delta.reasoning_content (reasoning models stream it first)
  std::optional<std::string> finish_reason;
};

struct StreamChunk {
  std::vector<ChunkChoice> choices;
  std::optional<Usage> usage;  ///< the usage chunk (stream_options.include_usage)
  std::optional<Error> error;  ///< an {"error": {...}} event: the server failed mid-stream

  /// Bytes of text and reasoning over all choices.
  size_t text_size() const;
};

/// Parses one data payload (not "[DONE]"). Throws ErrorException{UpstreamFailed} when it is not a
/// JSON object.
StreamChunk parse_stream_chunk(std::string_view data);

}  // namespace fastchat::openai
