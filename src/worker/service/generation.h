#pragma once
// One generation as the worker's HTTP handlers see it: the request is rendered (messages
// through the model's template), tokenized, checked against the context, admitted under the
// worker's concurrency limit and submitted; next() then yields protocol deltas (new text,
// token ids, logprobs with token text, usage, finish) until the end. A chat's text is split
// into content, reasoning and tool calls as the model's chat template writes them. Runs on the
// handler's thread; cancel() may be called from any thread.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/generate_delta.h"
#include "protocol/generate_request.h"
#include "worker/engine/model_instance.h"
#include "worker/service/admission.h"

namespace fastchat::service {

class Generation {
 public:
  /// Throws ErrorException: InvalidRequest / ContextLengthExceeded naming the field, or
  /// Overloaded when the worker is at its concurrency limit.
  Generation(engine::ModelInstance& model, Admission& admission,
             const protocol::GenerateRequest& request);

  /// Blocks for the next delta; the last one has finish_reason (and usage) or an error.
  protocol::GenerateDelta next();
  bool finished() const { return finished_; }
  /// Stops the generation (the client went away); next() then returns the last delta.
  void cancel();

  const std::string& prompt_text() const { return prompt_text_; }
  int32_t prompt_tokens() const { return static_cast<int32_t>(prompt_ids_.size()); }

 private:
  /// A chat's text into content, reasoning and tool calls.
  void split_reply(protocol::GenerateDelta& delta, bool last);
  std::vector<protocol::TokenLogprob> token_logprobs(const std::vector<engine::TokenEvent>& tokens);
  /// A token's text as it reads after the previous one, whose text alone is `previous_text`
  /// (SentencePiece drops a piece's leading space when it is decoded alone).
  std::string token_text(int32_t token, const std::string& previous_text) const;

  engine::ModelInstance& model_;
  Admission::Slot slot_;
  std::string prompt_text_;
  std::vector<int32_t> prompt_ids_;
  bool echo_ = false;
  bool want_logprobs_ = false;
  bool finished_ = false;
  int32_t previous_token_ = -1;              // for token_text; -1 at the very start
  std::optional<reply::ReplyParser> reply_;  // chats with a chat template
  std::unique_ptr<engine::TextStream> stream_;
};

}  // namespace fastchat::service
