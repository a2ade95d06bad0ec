#pragma once
// Consumer-side view of one generation as text: pulls token events from the request's
// stream, detokenizes them incrementally (UTF-8 safe), cuts the text at the first stop
// string (never emitting any part of it) and aborts the engine request when one matches.
// Used on the consumer's thread (CLI loop, HTTP session), never on the engine thread.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "text/stopping/stop_string_matcher.h"
#include "text/tokenizer/incremental_detokenizer.h"
#include "worker/engine/engine.h"

namespace fastchat::engine {

struct TextDelta {
  std::string text;
  std::vector<TokenEvent> tokens;
  std::optional<FinishReason> finish;
  std::string error;
  int32_t num_prompt_tokens = 0;
  int32_t num_output_tokens = 0;  // so far, stop tokens included
};

class TextStream {
 public:
  TextStream(Engine& engine, std::shared_ptr<RequestStream> stream,
             const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> prompt_ids,
             std::vector<std::string> stop_strings, bool keep_special_tokens = false);
  /// An abandoned, unfinished stream cancels its request (the client went away).
  ~TextStream();
  TextStream(const TextStream&) = delete;
  TextStream& operator=(const TextStream&) = delete;

  /// Blocks for the next delta; the last one carries `finish`.
  TextDelta next();
  bool finished() const { return finished_; }
  /// The engine's id of the request, for Engine::abort from another thread.
  uint64_t request_id() const { return stream_->id(); }

 private:
  Engine& engine_;
  std::shared_ptr<RequestStream> stream_;
  tokenizer::IncrementalDetokenizer detokenizer_;
  stopping::StopStringMatcher matcher_;
  int32_t num_prompt_tokens_;
  int32_t num_output_tokens_ = 0;
  bool finished_ = false;
};

/// Runs one request to the end and returns its whole text and finish reason (CLI --prompt,
/// non-streaming endpoints, tests).
struct Completion {
  std::string text;
  std::vector<int32_t> token_ids;
  FinishReason finish = FinishReason::Stop;
  std::string error;
  int32_t num_prompt_tokens = 0;
  int32_t num_output_tokens = 0;
};
Completion collect(TextStream& stream);

}  // namespace fastchat::engine
